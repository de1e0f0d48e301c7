package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/herald"
)

// hit is one request a hookReceiver got.
type hit struct {
	Header http.Header
	Body   []byte
}

// hookReceiver is a real endpoint that records what it gets and answers the
// scripted statuses in turn (the last one repeats; none means 200).
type hookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []hit
}

func newHookReceiver(t *testing.T, statuses ...int) *hookReceiver {
	t.Helper()
	r := &hookReceiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := http.StatusOK
		if n := len(r.got); len(r.statuses) > 0 {
			status = r.statuses[min(n, len(r.statuses)-1)]
		}
		r.got = append(r.got, hit{Header: req.Header.Clone(), Body: body})
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) Got() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.got...)
}

// verifies reports whether h verifies with secret under the official
// Standard Webhooks library. The fixture's clock is not the wall clock, so
// the timestamp's tolerance is not checked.
func verifies(t *testing.T, secret string, h hit) bool {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	return wh.VerifyIgnoringTimestamp(h.Body, h.Header) == nil
}

// stored reads a webhook straight from the collection.
func (f *fixture) stored(t *testing.T, id string) *herald.Webhook {
	t.Helper()
	wh := &herald.Webhook{ID: id}
	if err := f.webhooks.Get(context.Background(), wh); err != nil {
		t.Fatal(err)
	}
	return wh
}

// publishedOfType returns the next published event of eventType, skipping
// others, and fails the test when none comes.
func (f *fixture) publishedOfType(t *testing.T, eventType string) map[string]any {
	t.Helper()
	for range 20 {
		if ev := f.published(t); ev["event_type"] == eventType {
			return ev
		}
	}
	t.Fatalf("no %s event published", eventType)
	return nil
}

// assertNothingPublished fails when an event is published within a short
// moment (the ingest topic is in memory: publishing is immediate).
func (f *fixture) assertNothingPublished(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if m, err := f.ingest.Receive(ctx); err == nil {
		m.Ack()
		t.Errorf("unexpected event published: %s", m.Body)
	}
}

// hookPath is the path of a webhook, plus suffix.
func hookPath(id, suffix string) string { return "/api/v1/admin/webhooks/" + id + suffix }
