package profile_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// scalekitEvent is the event a Scalekit receiver parses (its Gin example's
// WebhookEvent).
type scalekitEvent struct {
	Type string         `json:"type"`
	Data map[string]any `json:"data"`
}

// scalekitReceiver is the receiver Scalekit's guide has its customers
// write: it verifies webhook-id, webhook-signature and webhook-timestamp
// with the Standard Webhooks scheme (here the official library), answers
// 401 {"error":"Invalid signature"} when they do not verify, and otherwise
// parses the event, hands it on, and answers 201 {"received":true}.
type scalekitReceiver struct {
	*httptest.Server
	mu        sync.Mutex
	secret    string
	processed []scalekitEvent
	refused   int
	notify    chan struct{}
}

func newScalekitReceiver(t *testing.T) *scalekitReceiver {
	r := &scalekitReceiver{notify: make(chan struct{}, 64)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.handleWebhook))
	t.Cleanup(r.Close)
	return r
}

func (r *scalekitReceiver) handleWebhook(w http.ResponseWriter, req *http.Request) {
	defer func() { r.notify <- struct{}{} }()
	headers := http.Header{}
	for _, h := range []string{"webhook-id", "webhook-signature", "webhook-timestamp"} {
		headers.Set(h, req.Header.Get(h))
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		writeJSONAnswer(w, http.StatusBadRequest, `{"error":{"message":"Unable to read request"}}`)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	wh, err := standardwebhooks.NewWebhook(r.secret)
	if err == nil {
		err = wh.Verify(body, headers)
	}
	if err != nil {
		r.refused++
		writeJSONAnswer(w, http.StatusUnauthorized, `{"error":"Invalid signature"}`)
		return
	}
	var event scalekitEvent
	if err := json.Unmarshal(body, &event); err != nil {
		writeJSONAnswer(w, http.StatusBadRequest, `{"error":{"message":"Invalid event format"}}`)
		return
	}
	r.processed = append(r.processed, event)
	writeJSONAnswer(w, http.StatusCreated, `{"received":true}`)
}

func writeJSONAnswer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (r *scalekitReceiver) setSecret(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = s
}

// events returns the events processed so far and how many requests were
// refused.
func (r *scalekitReceiver) events() ([]scalekitEvent, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]scalekitEvent(nil), r.processed...), r.refused
}

// Scalekit events as its guide shows them: typed by type, the user in data.
const (
	userCreated = `{"type":"organization.directory.user_created",` +
		`"data":{"id":"dirusr_1","email":"ada@example.com","organization_id":"org_1"}}`
	userDeleted = `{"type":"organization.directory.user_deleted",` +
		`"data":{"id":"dirusr_2","email":"bob@example.com","organization_id":"org_1"}}`
	ssoEnabled = `{"type":"organization.sso_enabled","data":{"organization_id":"org_1"}}`
)

func TestScalekit(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "Scalekit")
	d := start(t, p, nil, nil)
	r := newScalekitReceiver(t)

	// Add Endpoint, copy the signing secret, Create: disabled until toggled.
	// Ingest (one message at a time, in order) then has two messages to
	// handle: the creation's audit event, published before Create answers,
	// and the event published while disabled.
	ingested := d.sys.IngestStats.Done.Load()
	created := d.create(t, p.webhook(t, "manage-users", r.URL))
	r.setSecret(created.Secret)
	if created.Enabled {
		t.Fatal("the endpoint is enabled before it is toggled on")
	}
	d.publish(t, userDeleted)
	heraldtest.Eventually(t, wait, func() bool { return d.sys.IngestStats.Done.Load() >= ingested+2 },
		"the audit event and the event published while disabled are ingested")
	var enabled hook
	if status := d.Do("PATCH", webhooksPath+created.ID, map[string]any{"enabled": true}, &enabled); status != http.StatusOK || !enabled.Enabled {
		t.Fatalf("enable: %d %+v", status, enabled)
	}
	if status := d.Do("POST", webhooksPath+created.ID+"/validate", nil, &enabled); status != http.StatusOK || !enabled.Validated {
		t.Fatalf("validate once the receiver holds the secret: %d %+v", status, enabled)
	}

	// The Test tab: the receiver's 201 is shown, and nothing is logged.
	var probe struct {
		Success    bool `json:"success"`
		StatusCode int  `json:"status_code"`
	}
	if status := d.Do("POST", webhooksPath+created.ID+"/test", nil, &probe); status != http.StatusOK ||
		!probe.Success || probe.StatusCode != http.StatusCreated {
		t.Fatalf("test event: %d %+v, want the receiver's 201", status, probe)
	}

	// Events not subscribed to are not sent; a subscribed one is, as
	// Scalekit sent it, and its 201 is a success.
	d.publish(t, ssoEnabled)
	d.publish(t, userCreated)
	ds := d.waitDeliveries(t, created.ID, "a delivery answered 201", func(ds []contract.Delivery) bool {
		return len(ds) > 0 && ds[0].Status == "succeeded"
	})
	if len(ds) != 1 || ds[0].EventType != "organization.directory.user_created" {
		t.Fatalf("deliveries %+v: want only the user_created one (not the test event, not one sent while disabled, not an unsubscribed type)", ds)
	}
	got, refused := r.events()
	if refused != 0 || len(got) != 3 || got[2].Type != "organization.directory.user_created" ||
		got[2].Data["email"] != "ada@example.com" || got[2].Data["organization_id"] != "org_1" {
		t.Fatalf("receiver processed %+v and refused %d: want the validation, the test and user_created, all verified", got, refused)
	}

	// The request log: the payload, the response status and the times.
	var entry struct {
		contract.Delivery
		Attempts []struct {
			StatusCode   int    `json:"status_code"`
			ResponseBody string `json:"response_body"`
			At           string `json:"at"`
		} `json:"attempts"`
		CreatedAt string `json:"created_at"`
	}
	if status := d.Do("GET", webhooksPath+created.ID+"/deliveries/"+strconv.FormatInt(ds[0].ID, 10), nil, &entry); status != http.StatusOK {
		t.Fatalf("delivery log entry: %d", status)
	}
	if string(entry.Payload) != userCreated || len(entry.Attempts) != 1 || entry.Attempts[0].StatusCode != http.StatusCreated ||
		entry.Attempts[0].ResponseBody != `{"received":true}` || entry.Attempts[0].At == "" || entry.CreatedAt == "" {
		t.Errorf("log entry: payload %s, attempts %+v, created %q", entry.Payload, entry.Attempts, entry.CreatedAt)
	}
}
