package local_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestCleanShutdownLeavesNoClaimedAttemptUnsent: events accepted just
// before a clean shutdown (their deliveries created, preclaimed, while
// deliver stops, or by ingest draining its topic after it) are delivered
// after the restart as attempt 1, not as attempt 2 after an "interrupted"
// attempt 1 that was never sent.
func TestCleanShutdownLeavesNoClaimedAttemptUnsent(t *testing.T) {
	dir := t.TempDir()
	cfg := localConfig(t, dir, "memq", false) // bolt:// collections, as local mode
	r := contract.NewReceiver(t, "X-Herald-")
	first, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := contract.NewAPI(t, first.BaseURL, first.Token)
	wh := api.CreateWebhook(r, map[string]any{})
	const n = 50
	for range n {
		api.Publish(map[string]any{"event_type": "order.created"})
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	before := len(r.Got())
	cfg = withNewTopics(t, cfg)
	second, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api = contract.NewAPI(t, second.BaseURL, second.Token)
	if !heraldtest.Poll(20*time.Second, func() bool {
		return api.Deliveries(wh.ID, "?status=succeeded&per_page=100").Total == n
	}) {
		t.Fatalf("not all delivered: %+v", api.Deliveries(wh.ID, "?per_page=100").Total)
	}
	phantom := 0
	for _, d := range api.Deliveries(wh.ID, "?per_page=100").Items {
		if len(d.Attempts) > 0 && strings.HasPrefix(d.Attempts[0].Error, "interrupted") {
			phantom++
			if phantom == 1 {
				t.Logf("example: %+v", d.Attempts)
			}
		}
	}
	t.Logf("sent before shutdown %d, after %d", before, len(r.Got())-before)
	if phantom > 0 {
		t.Errorf("%d deliveries carry an 'interrupted' attempt 1 that was never sent", phantom)
	}
}
