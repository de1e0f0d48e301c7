package deliver

import (
	"sync"

	"github.com/heraldhq/herald/pkg/herald"
)

// inFlight counts the attempts in flight to each webhook in this process, so
// that one slow endpoint cannot hold every consumer slot: a job for a webhook
// at its cap is put back for later instead of waiting for a slot.
type inFlight struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire takes a slot of webhook id, whose cap is limit. It returns false
// when all are taken; otherwise release gives the slot back.
func (f *inFlight) acquire(id string, limit int) (release func(), ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == nil {
		f.n = map[string]int{}
	}
	if f.n[id] >= limit {
		return nil, false
	}
	f.n[id]++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.n[id]--; f.n[id] <= 0 {
			delete(f.n, id)
		}
	}, true
}

// maxInFlight is w's cap on attempts in flight, or the deployment's.
func (h *Handler) maxInFlight(w *herald.Webhook) int {
	if w.MaxInFlight > 0 {
		return min(w.MaxInFlight, herald.MaxMaxInFlight)
	}
	return h.cfg.MaxInFlight
}
