package local_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// recoveryReceiver fails every request until recovering is set; then the
// first request waits for gate (or for the sender to give up) and the
// others succeed. It records the delivery id of each request made while
// recovering, in order.
type recoveryReceiver struct {
	*httptest.Server
	recovering atomic.Bool
	gate       chan struct{}
	mu         sync.Mutex
	recovered  []string
}

func newRecoveryReceiver(t *testing.T) *recoveryReceiver {
	r := &recoveryReceiver{gate: make(chan struct{})}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !r.recovering.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		r.mu.Lock()
		r.recovered = append(r.recovered, req.Header.Get("X-Herald-Delivery-Id"))
		first := len(r.recovered) == 1
		r.mu.Unlock()
		if first {
			select {
			case <-r.gate:
			case <-req.Context().Done():
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recoveryReceiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.recovered)
}

// TestRecoveryGoesOnAfterRestart: POST …/recover attempts a webhook's
// failed deliveries again oldest first, one at a time for max_in_flight 1:
// while the first is in flight the others stay failed. The process is
// stopped with the first still in flight; after the restart the recovery
// goes on and every delivery succeeds, in order.
func TestRecoveryGoesOnAfterRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := memConfig(t, dir)
	recv := newRecoveryReceiver(t)
	first, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	api := contract.NewAPI(t, first.BaseURL, first.Token)
	hook := api.CreateWebhook(contract.NewReceiver(t, "X-Herald-"), map[string]any{"url": recv.URL,
		"retry_schedule": []string{"1s"}, "max_in_flight": 1,
		// Longer than the shutdown timeout: the stop cuts the first off.
		"timeout_seconds": 30})
	const n = 3
	for range n {
		api.Publish(map[string]any{"event_type": "order.created"})
	}
	if !heraldtest.Poll(30*time.Second, func() bool { return api.Deliveries(hook.ID, "?status=failed").Total == n }) {
		t.Fatalf("deliveries did not all fail: %+v", api.Deliveries(hook.ID, ""))
	}
	failed := api.Deliveries(hook.ID, "?status=failed").Items // newest first
	var oldestFirst []string
	for i := len(failed) - 1; i >= 0; i-- {
		oldestFirst = append(oldestFirst, strconv.FormatInt(failed[i].ID, 10))
	}

	recv.recovering.Store(true)
	var accepted struct {
		Recovering int `json:"recovering"`
	}
	path := "/api/v1/admin/webhooks/" + hook.ID + "/recover"
	if status := api.Do("POST", path, map[string]any{"since": since}, &accepted); status != http.StatusAccepted || accepted.Recovering != n {
		t.Fatalf("recover: %d %+v, want 202 recovering %d", status, accepted, n)
	}
	if status := api.Do("POST", path, map[string]any{"since": since}, nil); status != http.StatusConflict {
		t.Errorf("a second recover while one runs: %d, want 409", status)
	}
	if !heraldtest.Poll(10*time.Second, func() bool { return len(recv.got()) == 1 }) {
		t.Fatal("the recovery sent nothing")
	}
	// A few passes of the recovery: the first is in flight, so with
	// max_in_flight 1 the others stay failed.
	time.Sleep(3 * time.Second)
	if got := recv.got(); len(got) != 1 || got[0] != oldestFirst[0] {
		t.Fatalf("with the oldest in flight, the receiver got %v; want only %s", got, oldestFirst[0])
	}
	if l := api.Deliveries(hook.ID, "?status=failed"); l.Total != n-1 {
		t.Errorf("failed while the first is in flight: %d, want %d", l.Total, n-1)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	close(recv.gate)
	cfg = withNewTopics(t, cfg)
	second, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api = contract.NewAPI(t, second.BaseURL, second.Token)
	if !heraldtest.Poll(30*time.Second, func() bool { return api.Deliveries(hook.ID, "?status=succeeded").Total == n }) {
		t.Fatalf("after the restart, not every delivery succeeded: %+v (receiver got %v)", api.Deliveries(hook.ID, ""), recv.got())
	}
	// The first was cut off by the stop and sent again: at least once.
	got := slices.Compact(recv.got())
	if !slices.Equal(got, oldestFirst) {
		t.Errorf("recovered in the order %v, want oldest first %v", got, oldestFirst)
	}
}
