package local_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/local"
	"github.com/heraldhq/herald/pkg/logging"
)

// logBuffer collects log output written from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestObservabilityEndToEnd runs local mode with the JSON logger every
// function uses, at debug level, into a buffer: it creates a webhook with a
// known secret, rotates it, publishes an event and a malformed message, and
// waits for the delivery. Then every log line is JSON; the deliver line of
// the attempt carries delivery_id, webhook_id and event_id, the ingest line
// event_id; no secret appears anywhere in the logs (the signing secrets,
// their key part, the key bytes in either base64 alphabet, the sealed
// values, the admin token, the keeper and token-signing keys); and GET /metrics answers the
// Prometheus text format with the messages of ingest and deliver counted.
func TestObservabilityEndToEnd(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	cfg := memConfig(t, dataDir)
	cfg.AdminToken = "observability-admin-token-0123456789abcdef"
	var logs logBuffer
	sys, err := local.Start(context.Background(), cfg, local.Options{Logger: logging.New(&logs, "debug", "")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sys.Close() })
	api := contract.NewAPI(t, "http://"+sys.Addr, cfg.AdminToken)

	key := bytes.Repeat([]byte{0xfb, 0xef, 0xbe}, 11)[:32] // + and / in standard base64
	keyPart := base64.StdEncoding.EncodeToString(key)
	secret := "whsec_" + keyPart
	r := contract.NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"secret": secret, "events": []string{"order.*"}})
	if wh.Secret != secret {
		t.Fatalf("created with secret %q, want the one given", wh.Secret)
	}
	var rotated struct {
		Secret string `json:"secret"`
	}
	if status := api.Do("POST", "/api/v1/admin/webhooks/"+wh.ID+"/rotate-secret", map[string]any{}, &rotated); status != http.StatusOK || rotated.Secret == "" {
		t.Fatalf("rotate: status %d", status)
	}
	r.SetSecret(rotated.Secret)

	eventID := api.Publish(map[string]any{"event_type": "order.created", "data": map[string]any{"id": 7}})
	d := api.WaitDelivery(wh.ID, "succeeded", 10*time.Second)
	topic, err := pubsub.OpenTopic(context.Background(), cfg.IngestTopic)
	if err != nil {
		t.Fatal(err)
	}
	defer topic.Shutdown(context.Background())
	if err := topic.Send(context.Background(), &pubsub.Message{Body: []byte("not an envelope")}); err != nil {
		t.Fatal(err)
	}
	// Ingest sees the event, Herald's own webhook.endpoint.created and
	// webhook.secret.rotated, and the malformed message.
	if !heraldtest.Poll(10*time.Second, func() bool {
		return sys.IngestStats.Malformed.Load() > 0 && sys.IngestStats.Done.Load() >= 3
	}) {
		t.Fatalf("ingest: %d done, %d malformed within 10s; want 3 and 1",
			sys.IngestStats.Done.Load(), sys.IngestStats.Malformed.Load())
	}

	checkLogLines(t, logs.String(), d.ID, wh.ID, eventID)
	forbidden := map[string]string{
		"signing secret": secret, "its key part": keyPart,
		"its key in URL-safe base64":    base64.URLEncoding.EncodeToString(key),
		"its key unpadded":              base64.RawStdEncoding.EncodeToString(key),
		"the rotated secret":            rotated.Secret,
		"the rotated secret's key part": strings.TrimPrefix(rotated.Secret, "whsec_"),
		"the admin token":               cfg.AdminToken,
	}
	// The sealed values, read from the same mem:// collection (left open:
	// the system closes it).
	hooks, err := docstore.OpenCollection(context.Background(), cfg.WebhooksCollection)
	if err != nil {
		t.Fatal(err)
	}
	stored := &herald.Webhook{ID: wh.ID}
	if err := hooks.Get(context.Background(), stored); err != nil {
		t.Fatal(err)
	}
	if stored.SealedSecret == "" || stored.PreviousSealedSecret == "" {
		t.Fatal("no sealed secrets stored")
	}
	forbidden["the sealed secret"] = stored.SealedSecret
	forbidden["the previous sealed secret"] = stored.PreviousSealedSecret
	for _, f := range []string{"secrets.key", "token.key"} {
		b, err := os.ReadFile(filepath.Join(dataDir, f))
		if err != nil {
			t.Fatal(err)
		}
		forbidden[f] = strings.TrimSpace(string(b))
	}
	out := logs.String()
	for what, s := range forbidden {
		if strings.Contains(out, s) {
			t.Errorf("the logs contain %s", what)
		}
	}

	text := get(t, "http://"+sys.Addr+"/metrics", cfg.AdminToken)
	for _, want := range []string{
		"# TYPE herald_messages_total counter",
		`herald_messages_total{function="ingest",outcome="done"} 3`,
		`herald_messages_total{function="ingest",outcome="malformed"} 1`,
		`herald_messages_total{function="deliver",outcome="done"} 1`,
		"herald_events_ingested_total 3",
		"herald_deliveries_created_total 1",
		`herald_handler_duration_seconds_count{function="deliver"} 1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s\nmetrics:\n%s", out, text)
	}
}

// checkLogLines checks that every line is a JSON object, that a deliver
// line carries the delivery's, webhook's and event's ids, and that an
// ingest line carries the event's.
func checkLogLines(t *testing.T, logs string, deliveryID int64, webhookID, eventID string) {
	t.Helper()
	var deliverLine, ingestLine bool
	for line := range strings.Lines(logs) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		switch rec["function"] {
		case "deliver":
			deliverLine = deliverLine || rec["delivery_id"] == float64(deliveryID) &&
				rec["webhook_id"] == webhookID && rec["event_id"] == eventID
		case "ingest":
			ingestLine = ingestLine || rec["event_id"] == eventID
		}
	}
	if !deliverLine {
		t.Error("no deliver log line carries delivery_id, webhook_id and event_id")
	}
	if !ingestLine {
		t.Error("no ingest log line carries event_id")
	}
}

func get(t *testing.T, url, token string) string {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}
