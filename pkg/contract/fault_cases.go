package contract

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// faultServer is a loopback endpoint that answers its requests with the
// scripted handlers in turn (the last one repeating).
type faultServer struct {
	*httptest.Server
	mu      sync.Mutex
	answers []http.HandlerFunc
	hits    int
}

// newFaultServer starts a faultServer, over TLS with httptest's own
// (untrusted) certificate when tls is set; it is closed when the test ends.
func newFaultServer(t *testing.T, tls bool, answers ...http.HandlerFunc) *faultServer {
	s := &faultServer{answers: answers}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes and hijacks are the point
	if tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func (s *faultServer) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	s.mu.Lock()
	answer := s.answers[min(s.hits, len(s.answers)-1)]
	s.hits++
	s.mu.Unlock()
	answer(w, r)
}

// Scripted answers of the fault matrix.
func answerStatus(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func answerRetryAfter(code int, value string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", value)
		w.WriteHeader(code)
	}
}

func answerSlow(d time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusOK)
	}
}

// answerBroken writes a status line and half the headers, then closes the
// connection.
func answerBroken(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
	_ = buf.Flush()
	_ = conn.Close()
}

func answerRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/elsewhere", http.StatusFound)
}

func answerOversized(w http.ResponseWriter, _ *http.Request) {
	_, _ = io.WriteString(w, strings.Repeat("x", 1<<20))
}

// faultAttempt and faultDelivery are what the fault matrix reads of a
// delivery, the response body included.
type faultAttempt struct {
	At           time.Time `json:"at"`
	StatusCode   int       `json:"status_code"`
	Error        string    `json:"error"`
	ResponseBody string    `json:"response_body"`
}

type faultDelivery struct {
	Status        string         `json:"status"`
	Attempts      []faultAttempt `json:"attempts"`
	NextAttemptAt *time.Time     `json:"next_attempt_at"`
}

// waitAttempts polls the webhook's only delivery until cond holds.
func waitAttempts(t *testing.T, api *API, webhookID string, cond func(faultDelivery) bool) faultDelivery {
	t.Helper()
	var l struct {
		Items []faultDelivery `json:"items"`
	}
	if !heraldtest.Poll(wait, func() bool {
		l.Items = nil
		api.Do("GET", "/api/v1/admin/webhooks/"+webhookID+"/deliveries", nil, &l)
		return len(l.Items) == 1 && cond(l.Items[0])
	}) {
		t.Fatalf("delivery of %s did not get there within %s: %+v", webhookID, wait, l.Items)
	}
	return l.Items[0]
}

func attempted(n int) func(faultDelivery) bool {
	return func(d faultDelivery) bool { return len(d.Attempts) >= n }
}

func finished(d faultDelivery) bool { return d.Status == "succeeded" || d.Status == "failed" }

// endpointEvent is one of Herald's endpoint events as the alerts receiver got it.
type endpointEvent struct {
	EventID   string         `json:"event_id"`
	EventType string         `json:"event_type"`
	Category  string         `json:"category"`
	Data      map[string]any `json:"data"`
	verified  bool
}

// endpointEvents returns the events of eventType about webhookID that alerts
// got so far.
func endpointEvents(t *testing.T, alerts *Receiver, webhookID, eventType string) []endpointEvent {
	t.Helper()
	var out []endpointEvent
	for _, got := range alerts.Got() {
		var ev endpointEvent
		if err := json.Unmarshal(got.Body, &ev); err != nil {
			t.Fatalf("alerts got %s: %v", got.Body, err)
		}
		if ev.EventType == eventType && ev.Data["webhook_id"] == webhookID {
			ev.verified = got.Verified
			out = append(out, ev)
		}
	}
	return out
}

// waitEndpointEvent waits until alerts got an event of eventType about
// webhookID, and returns them all.
func waitEndpointEvent(t *testing.T, alerts *Receiver, webhookID, eventType string) []endpointEvent {
	t.Helper()
	var evs []endpointEvent
	heraldtest.Eventually(t, wait, func() bool {
		evs = endpointEvents(t, alerts, webhookID, eventType)
		return len(evs) > 0
	}, "alerts got no %s about %s", eventType, webhookID)
	return evs
}

// gapAtLeast reports whether b is at least d after a, less the scheduler's
// early tolerance and the rounding to milliseconds.
func gapAtLeast(a, b time.Time, d time.Duration) bool { return b.Sub(a) >= d-60*time.Millisecond }

// faultCase is one row of the fault matrix: a webhook (with fields) pointed
// at a scripted fault server, one event, and what to check.
type faultCase struct {
	name    string
	tls     bool
	answers []http.HandlerFunc
	fields  map[string]any
	check   func(t *testing.T, api *API, alerts *Receiver, webhookID string)
}

// testFaultMatrix sends to real loopback receivers that fail in every way a
// receiver can, on one system, the rows in parallel: the attempt record,
// when the next attempt is due, and the endpoint events an alerts webhook
// subscribed to "webhook.endpoint.**" gets.
func testFaultMatrix(t *testing.T, b Backend) {
	sys, api := start(t, b, time.Second)
	alerts := NewReceiver(t, "X-Herald-")
	api.CreateWebhook(alerts, map[string]any{"name": "alerts", "events": []string{"webhook.endpoint.**"}})
	for _, fc := range faultCases() {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			api := NewAPI(t, sys.BaseURL, sys.Token)
			srv := newFaultServer(t, fc.tls, fc.answers...)
			eventType := "fault." + strings.ReplaceAll(fc.name, " ", "_")
			body := map[string]any{"name": fc.name, "url": srv.URL + "/hook", "events": []string{eventType},
				"retry_schedule": []string{"1s"}, "validate": false}
			for k, v := range fc.fields {
				body[k] = v
			}
			var wh Webhook
			if status := api.Do("POST", "/api/v1/admin/webhooks/", body, &wh); status != http.StatusCreated {
				t.Fatalf("create webhook: %d", status)
			}
			api.Publish(map[string]any{"event_type": eventType, "data": map[string]any{"case": fc.name}})
			fc.check(t, api, alerts, wh.ID)
		})
	}
}

// firstAttemptIs checks the first attempt's record and that the next one
// was scheduled the step (1s) after it, then that the delivery ends in want.
func firstAttemptIs(status int, errText, want string) func(*testing.T, *API, *Receiver, string) {
	return func(t *testing.T, api *API, _ *Receiver, id string) {
		d := waitAttempts(t, api, id, attempted(1))
		if a := d.Attempts[0]; a.StatusCode != status || a.Error != errText {
			t.Errorf("first attempt status %d, error %q; want %d, %q", a.StatusCode, a.Error, status, errText)
		}
		if d.Status == "pending" && d.NextAttemptAt != nil &&
			(!gapAtLeast(d.Attempts[0].At, *d.NextAttemptAt, time.Second) || d.NextAttemptAt.Sub(d.Attempts[0].At) > 4*time.Second) {
			t.Errorf("next attempt at %v, first at %v: want the 1s step", d.NextAttemptAt, d.Attempts[0].At)
		}
		if d = waitAttempts(t, api, id, finished); d.Status != want {
			t.Errorf("delivery ended %s, want %s (attempts %+v)", d.Status, want, d.Attempts)
		}
	}
}

func faultCases() []faultCase {
	return []faultCase{
		{name: "unhealthy then recovered", answers: []http.HandlerFunc{answerStatus(500), answerStatus(500),
			answerStatus(500), answerStatus(200)},
			fields: map[string]any{"retry_schedule": []string{"1s", "1s", "1s"}, "unhealthy_after": 3},
			check:  checkUnhealthyThenRecovered},
		{name: "retry after", answers: []http.HandlerFunc{answerRetryAfter(429, "3"), answerStatus(200)},
			check: checkRetryAfter},
		{name: "gone", answers: []http.HandlerFunc{answerStatus(410)}, check: checkGone},
		{name: "unavailable", answers: []http.HandlerFunc{answerStatus(503), answerStatus(200)},
			check: firstAttemptIs(503, "HTTP 503", "succeeded")},
		{name: "slow", answers: []http.HandlerFunc{answerSlow(2 * time.Second), answerStatus(200)},
			fields: map[string]any{"timeout_seconds": 1},
			check:  firstAttemptIs(0, "timeout after 1s", "succeeded")},
		{name: "broken", answers: []http.HandlerFunc{answerBroken, answerStatus(200)},
			check: firstAttemptIs(0, "connection broken mid-response", "succeeded")},
		{name: "redirect", answers: []http.HandlerFunc{answerRedirect, answerStatus(200)},
			check: firstAttemptIs(302, `redirect to "/elsewhere" not followed`, "succeeded")},
		{name: "oversized", answers: []http.HandlerFunc{answerOversized}, check: checkOversized},
		{name: "untrusted tls", tls: true, answers: []http.HandlerFunc{answerStatus(200)},
			check: firstAttemptIs(0, "tls: certificate not trusted", "failed")},
	}
}

// checkUnhealthyThenRecovered: three 500s announce the endpoint unhealthy
// once; the success after them announces it recovered.
func checkUnhealthyThenRecovered(t *testing.T, api *API, alerts *Receiver, id string) {
	d := waitAttempts(t, api, id, finished)
	if d.Status != "succeeded" || len(d.Attempts) != 4 {
		t.Fatalf("delivery %s after %d attempts, want succeeded after 4", d.Status, len(d.Attempts))
	}
	for i, a := range d.Attempts[:3] {
		if a.StatusCode != 500 || a.Error != "HTTP 500" {
			t.Errorf("attempt %d: %d %q", i+1, a.StatusCode, a.Error)
		}
		if !gapAtLeast(a.At, d.Attempts[i+1].At, time.Second) {
			t.Errorf("attempt %d came %s after the one before, want at least the 1s step", i+2, d.Attempts[i+1].At.Sub(a.At))
		}
	}
	recovered := waitEndpointEvent(t, alerts, id, "webhook.endpoint.recovered")
	unhealthy := endpointEvents(t, alerts, id, "webhook.endpoint.unhealthy")
	if len(unhealthy) != 1 || len(recovered) != 1 {
		t.Fatalf("alerts got %d unhealthy and %d recovered events, want 1 and 1", len(unhealthy), len(recovered))
	}
	u, r := unhealthy[0], recovered[0]
	if !u.verified || u.Category != "SECURITY" || u.Data["consecutive_failures"] != 3.0 || u.Data["last_status_code"] != 500.0 {
		t.Errorf("unhealthy event = %+v", u)
	}
	if !r.verified || r.Data["failing_since"] != u.Data["failing_since"] {
		t.Errorf("recovered event = %+v", r)
	}
	var view map[string]any
	api.Do("GET", "/api/v1/admin/webhooks/"+id, nil, &view)
	if view["unhealthy"] != false || view["consecutive_failures"] != 0.0 || view["failing_since"] != nil {
		t.Errorf("health after recovery: unhealthy %v, failures %v, since %v",
			view["unhealthy"], view["consecutive_failures"], view["failing_since"])
	}
}

// checkRetryAfter: a 429 with Retry-After: 3 puts the next attempt at least
// 3s after it, though the step is 1s.
func checkRetryAfter(t *testing.T, api *API, _ *Receiver, id string) {
	d := waitAttempts(t, api, id, attempted(1))
	first := d.Attempts[0]
	if first.StatusCode != 429 || first.Error != "HTTP 429" {
		t.Errorf("first attempt %d %q", first.StatusCode, first.Error)
	}
	if d.Status == "pending" && (d.NextAttemptAt == nil || d.NextAttemptAt.Sub(first.At) < 3*time.Second) {
		t.Errorf("next attempt at %v, %s after the first; want at least 3s", d.NextAttemptAt, d.NextAttemptAt.Sub(first.At))
	}
	d = waitAttempts(t, api, id, finished)
	if d.Status != "succeeded" || len(d.Attempts) != 2 || !gapAtLeast(first.At, d.Attempts[1].At, 3*time.Second) {
		t.Errorf("delivery %s, attempts %+v: want the second attempt at least 3s after the first", d.Status, d.Attempts)
	}
}

// checkGone: a 410 fails the delivery with no retry, disables the webhook,
// and announces webhook.endpoint.disabled.
func checkGone(t *testing.T, api *API, alerts *Receiver, id string) {
	d := waitAttempts(t, api, id, finished)
	if d.Status != "failed" || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 410 || d.NextAttemptAt != nil {
		t.Errorf("delivery %s, attempts %+v, next %v: want failed after one 410", d.Status, d.Attempts, d.NextAttemptAt)
	}
	ev := waitEndpointEvent(t, alerts, id, "webhook.endpoint.disabled")[0]
	if !ev.verified || ev.Category != "SECURITY" || ev.Data["reason"] != "410 Gone" ||
		ev.Data["last_status_code"] != 410.0 || ev.Data["webhook_name"] != "gone" {
		t.Errorf("disabled event = %+v", ev)
	}
	var view map[string]any
	api.Do("GET", "/api/v1/admin/webhooks/"+id, nil, &view)
	if view["enabled"] != false || view["disabled_reason"] != "410 Gone" {
		t.Errorf("webhook enabled %v, disabled_reason %v", view["enabled"], view["disabled_reason"])
	}
}

// checkOversized: a 1 MiB answer is kept up to 4 KiB; the 200 decides.
func checkOversized(t *testing.T, api *API, _ *Receiver, id string) {
	d := waitAttempts(t, api, id, finished)
	if d.Status != "succeeded" || len(d.Attempts) != 1 {
		t.Fatalf("delivery %s, %d attempts", d.Status, len(d.Attempts))
	}
	if a := d.Attempts[0]; a.StatusCode != 200 || a.Error != "" || len(a.ResponseBody) != 4096 {
		t.Errorf("attempt %d %q, kept %d bytes of the body; want 200, no error, 4096",
			a.StatusCode, a.Error, len(a.ResponseBody))
	}
}
