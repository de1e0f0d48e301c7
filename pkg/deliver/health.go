package deliver

import (
	"context"
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/retry"
)

// failed counts failed attempt a against w's health (see
// store.WebhookWrites.RecordHealth: one revision-checked write decides the
// count, the run, the unhealthy mark and its event together). When the run
// of failures reaches the webhook's unhealthy_after, the write that marks
// it announces webhook.endpoint.unhealthy, once for the run; when the run
// has lasted the webhook's disable_after, the endpoint is disabled (its
// event's id derives from the run, so concurrent workers announce it under
// one id).
func (h *Handler) failed(ctx context.Context, w *herald.Webhook, a herald.Attempt) error {
	defer h.healthy.failure(w.ID)()
	fresh, err := h.webhooks().RecordHealth(ctx, w.ID, h.publishHealth(ctx), func(w *herald.Webhook) bool {
		countFailure(w, a)
		return true
	})
	if err != nil || fresh == nil {
		return err
	}
	limit, ok := disableAfter(fresh)
	if !ok || !fresh.Enabled || h.cfg.Now().Sub(herald.FromMillis(fresh.FailingSinceMS)) < limit {
		return nil
	}
	return h.disable(ctx, fresh, "failing for "+retry.Format(limit), a, fresh.FailingSinceMS)
}

// recovered ends w's run of failures after a success, as w is when the
// success is recorded (not as it was read before the attempt: failures
// recorded meanwhile are ended too). An endpoint marked unhealthy is
// announced recovered by the write that resets it. A healthy webhook costs
// one read and no write, or neither when this Handler is the only one
// recording its health and knows it healthy (see healthy).
func (h *Handler) recovered(ctx context.Context, w *herald.Webhook) error {
	st, settled := h.healthy.state(w.ID)
	if st.healthy {
		return nil
	}
	now := h.cfg.Now()
	fresh, err := h.webhooks().RecordHealth(ctx, w.ID, h.publishHealth(ctx), func(w *herald.Webhook) bool {
		return resetHealth(w, now)
	})
	if settled && err == nil && fresh != nil && fresh.ConsecutiveFailures == 0 && !fresh.Unhealthy &&
		fresh.FailingSinceMS == 0 && fresh.HealthEvent == nil {
		h.healthy.mark(w.ID, st.epoch)
	}
	return err
}

// countFailure adds failed attempt a to w's health: one more consecutive
// failure; the first of a run starts it, strictly after the last run began
// (its start names it); the one that reaches unhealthy_after marks the
// endpoint unhealthy and calls for the unhealthy event.
func countFailure(w *herald.Webhook, a herald.Attempt) {
	w.ConsecutiveFailures++
	if w.FailingSinceMS == 0 {
		w.FailingSinceMS = max(a.AtMS, w.HealthRunMS+1)
		w.HealthRunMS = w.FailingSinceMS
	}
	if !w.Unhealthy && w.ConsecutiveFailures >= int64(unhealthyAfter(w)) {
		w.Unhealthy = true
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointUnhealthy, RunMS: w.FailingSinceMS,
			Failures: w.ConsecutiveFailures, StatusCode: a.StatusCode, Error: a.Error, AtMS: a.AtMS}
	}
}

// resetHealth ends w's run of failures, if it has one, and reports whether
// it did; an endpoint marked unhealthy calls for the recovered event.
func resetHealth(w *herald.Webhook, now time.Time) bool {
	if w.ConsecutiveFailures == 0 && !w.Unhealthy && w.FailingSinceMS == 0 {
		return false
	}
	if w.Unhealthy {
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointRecovered, RunMS: w.FailingSinceMS,
			Failures: w.ConsecutiveFailures, AtMS: herald.Millis(now)}
	}
	w.ConsecutiveFailures, w.Unhealthy, w.FailingSinceMS = 0, false, 0
	return true
}

// publishHealth returns what publishes the endpoint event a webhook
// carries (HealthEvent).
func (h *Handler) publishHealth(ctx context.Context) func(*herald.Webhook) error {
	return func(w *herald.Webhook) error {
		return ownevent.PublishEndpointHealth(ctx, h.cfg.Ingest, w, w.HealthEvent)
	}
}

// healthy is what a Handler that is the only one recording its webhooks'
// health (Config.SoleOwner: local mode) knows of them: the webhooks it
// found healthy — no failures, no run, no event to announce — by a read
// that no failure of theirs was being recorded at or began during. Only
// its own failures make a webhook unhealthy (an admin's write only resets
// health), so a success to one it knows healthy needs neither a read nor a
// write. A nil *healthy knows none.
type healthy struct {
	mu sync.Mutex
	of map[string]healthState
}

type healthState struct {
	// epoch counts the failures begun, failing those not yet recorded.
	epoch, failing uint64
	healthy        bool
}

// maxHealthy bounds the webhooks a healthy remembers healthy; past it, a
// success to another reads its health, as without it.
const maxHealthy = 1 << 16

// state returns what k knows of webhook id: whether it is known healthy,
// and the failures begun so far (epoch), for a read of its health about to
// begin to mark it healthy by (mark); and whether none is being recorded
// (settled: a read begun while one is may come before its write, and
// cannot mark). A nil k knows nothing and is never settled.
func (k *healthy) state(id string) (st healthState, settled bool) {
	if k == nil {
		return healthState{}, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	st = k.of[id]
	return st, st.failing == 0
}

// mark records webhook id as found healthy by a read begun at epoch since
// (see state), unless a failure began meanwhile.
func (k *healthy) mark(id string, since uint64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	st, ok := k.of[id]
	if st.epoch != since || st.failing != 0 || !ok && len(k.of) >= maxHealthy {
		return
	}
	k.of[id] = healthState{epoch: since, healthy: true}
}

// failure forgets that webhook id is healthy, for a failure of it about
// to be recorded, and returns what to call once it is.
func (k *healthy) failure(id string) (recorded func()) {
	if k == nil {
		return func() {}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	st := k.of[id]
	k.of[id] = healthState{epoch: st.epoch + 1, failing: st.failing + 1}
	return func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		st := k.of[id]
		st.failing--
		k.of[id] = st
	}
}

// unhealthyAfter is how many consecutive failures make w unhealthy.
func unhealthyAfter(w *herald.Webhook) int {
	if w.UnhealthyAfter > 0 {
		return w.UnhealthyAfter
	}
	return herald.DefaultUnhealthyAfter
}

// disableAfter is how long w may keep failing before it is disabled; false
// when it has no such limit (or an unreadable one, which the admin API never
// stores).
func disableAfter(w *herald.Webhook) (time.Duration, bool) {
	if w.DisableAfter == "" {
		return 0, false
	}
	d, err := time.ParseDuration(w.DisableAfter)
	if err != nil || d < herald.MinDisableAfter {
		return 0, false
	}
	return d, true
}
