package deliver

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"

	"github.com/heraldhq/herald/pkg/herald"
)

// inFlight keeps, per webhook in this process, its cap on requests in
// flight (max_in_flight) and the jobs making attempts to it. A job is
// admitted while fewer than jobsPer × the cap are making attempts; past
// that it is put back for later, so one slow endpoint cannot hold every
// consumer slot. An admitted job claims its attempt, then waits its turn
// for one of the cap's request slots (in the order the jobs came), so jobs
// waiting for their claim or record to commit hold none. jobsPer is
// JobsPerSend when the consumer runs that many jobs per request slot
// (Config.MaxSending), else 1: no admitted job then ever waits.
type inFlight struct {
	jobsPer int
	mu      sync.Mutex
	hooks   map[string]*hookSlots
}

// hookSlots are one webhook's: the jobs admitted, and its request slots,
// sized by the cap they were made for (a new cap makes new ones; jobs
// admitted before keep theirs).
type hookSlots struct {
	jobs  int
	limit int
	sends *semaphore.Weighted
}

// A slot is an admitted job's place: send waits for a request slot, sent
// gives it back, done ends the job's admission.
type slot struct {
	f     *inFlight
	id    string
	sends *semaphore.Weighted
}

// admit admits a job to webhook id, whose cap is limit. It returns false
// when jobsPer × limit jobs are making attempts to it already.
func (f *inFlight) admit(id string, limit int) (*slot, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hooks == nil {
		f.hooks = map[string]*hookSlots{}
	}
	h := f.hooks[id]
	if h == nil {
		h = &hookSlots{}
		f.hooks[id] = h
	}
	if h.jobs >= max(f.jobsPer, 1)*limit {
		return nil, false
	}
	if h.sends == nil || h.limit != limit {
		h.limit, h.sends = limit, semaphore.NewWeighted(int64(limit))
	}
	h.jobs++
	return &slot{f: f, id: id, sends: h.sends}, true
}

// send waits for one of the webhook's request slots, or for ctx to end.
func (s *slot) send(ctx context.Context) error { return s.sends.Acquire(ctx, 1) }

// sent gives back the request slot send took.
func (s *slot) sent() { s.sends.Release(1) }

// done ends the job's admission.
func (s *slot) done() {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if h := s.f.hooks[s.id]; h != nil {
		if h.jobs--; h.jobs <= 0 {
			delete(s.f.hooks, s.id)
		}
	}
}

// maxInFlight is w's cap on attempts in flight, or the deployment's.
func (h *Handler) maxInFlight(w *herald.Webhook) int {
	if w.MaxInFlight > 0 {
		return min(w.MaxInFlight, herald.MaxMaxInFlight)
	}
	return h.cfg.MaxInFlight
}
