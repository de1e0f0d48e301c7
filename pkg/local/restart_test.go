package local_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestRestartKeepsStateAndRearmsPending stops local mode cleanly with a
// delivery waiting for its retry, starts it again on the same data dir, and
// checks that webhooks survive, the retry is made, and the delivery that had
// already succeeded is not sent again.
func TestRestartKeepsStateAndRearmsPending(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := memConfig(t, dir)

	ok := contract.NewReceiver(t, "X-Herald-")
	flaky := contract.NewReceiver(t, "X-Herald-", http.StatusInternalServerError, http.StatusOK)

	first, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := contract.NewAPI(t, first.BaseURL, first.Token)
	okHook := api.CreateWebhook(ok, map[string]any{"events": []string{"a.*"}})
	flakyHook := api.CreateWebhook(flaky, map[string]any{"events": []string{"b.*"}, "retry_schedule": []string{"1s"}})
	api.Publish(map[string]any{"event_type": "a.done"})
	api.Publish(map[string]any{"event_type": "b.retried"})
	ok.WaitFor(1, 10*time.Second)
	flaky.WaitFor(1, 10*time.Second)
	api.WaitDelivery(flakyHook.ID, "pending", 10*time.Second)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	// A new process has new in-memory topics; only the data dir carries over.
	cfg = withNewTopics(t, cfg)
	second, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api = contract.NewAPI(t, second.BaseURL, second.Token)
	if status := api.Do("GET", "/api/v1/admin/webhooks/"+okHook.ID, nil, nil); status != http.StatusOK {
		t.Fatalf("webhook after restart: %d", status)
	}
	got := flaky.WaitFor(2, 10*time.Second)
	if !got[1].Verified {
		t.Error("retried delivery does not verify")
	}
	d := api.WaitDelivery(flakyHook.ID, "succeeded", 10*time.Second)
	if len(d.Attempts) != 2 {
		t.Errorf("attempts = %+v, want 2", d.Attempts)
	}
	if n := len(ok.Got()); n != 1 {
		t.Errorf("succeeded delivery sent %d times across the restart, want 1", n)
	}
}

// TestCleanShutdownLosesNoAcceptedEvent publishes events and shuts down at
// once: every event answered 202 is delivered, before the shutdown or after
// the restart.
func TestCleanShutdownLosesNoAcceptedEvent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := memConfig(t, dir)
	r := contract.NewReceiver(t, "X-Herald-")
	first, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := contract.NewAPI(t, first.BaseURL, first.Token)
	api.CreateWebhook(r, map[string]any{})
	const n = 50
	accepted := map[string]bool{}
	for range n {
		accepted[api.Publish(map[string]any{"event_type": "order.created"})] = true
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	cfg = withNewTopics(t, cfg)
	if _, err := startLocal(t, cfg); err != nil {
		t.Fatal(err)
	}
	missing := len(accepted)
	delivered := heraldtest.Poll(10*time.Second, func() bool {
		got := map[string]bool{}
		for _, g := range r.Got() {
			got[g.Header.Get("webhook-id")] = true
		}
		missing = 0
		for id := range accepted {
			if !got[id] {
				missing++
			}
		}
		return missing == 0
	})
	if !delivered {
		t.Fatalf("%d of %d accepted events never delivered within 10s", missing, n)
	}
}
