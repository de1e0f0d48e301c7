package storetest

import (
	"context"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
)

// PauseLimit checks that a paused webhook never holds more deliveries than
// its pause_queue_limit, and counts every one it drops, when many events
// for it are ingested at once by several ingest handlers. Each round pauses
// the webhook with a seeded limit, ingests a seeded number of events
// concurrently, checks that exactly min(events, limit) are held and the
// rest counted in pause_dropped, then resumes it and releases what it held.
func PauseLimit(t *testing.T, c store.Collections, o Options) {
	ctx := context.Background()
	const id, eventType = "wh_pause_limit", "pause.limit"
	p := newPauseRig(t, c, o, id, eventType)
	o, clock, writes, handlers := p.o, p.clock, p.writes, p.handlers
	over := 0
	for r := range o.Rounds {
		rnd := rng(o, r)
		limit := 1 + rnd.IntN(4)
		events := 1 + rnd.IntN(2*limit+2)
		clock.Advance(time.Second)
		w, err := writes.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := writes.Save(ctx, w, func(w *herald.Webhook) error { w.PauseQueueLimit = limit; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := writes.SetPaused(ctx, id, true, clock.Now()); err != nil {
			t.Fatal(err)
		}
		droppedBefore := w.PauseDropped
		fns := make([]func() error, events)
		for n := range fns {
			h := handlers[rnd.IntN(len(handlers))]
			fns[n] = func() error { return h.Handle(ctx, event(eventType, r, n)) }
		}
		for n, err := range together(fns) {
			if err != nil {
				t.Fatalf("round %d: event %d: %v", r, n, err)
			}
		}
		held, err := store.HeldCount(ctx, c.Deliveries, id)
		if err != nil {
			t.Fatal(err)
		}
		w, err = writes.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		dropped := int(w.PauseDropped - droppedBefore)
		if want := min(events, limit); held != want || dropped != events-want {
			over++
			t.Errorf("round %d: %d events to a paused webhook with a queue of %d: %d held and %d dropped, want %d and %d",
				r, events, limit, held, dropped, want, events-want)
		}
		clock.Advance(time.Second)
		if err := p.resume(); err != nil {
			t.Fatal(err)
		}
	}
	if over > 0 {
		t.Logf("the limit or the count was off in %d of %d rounds", over, o.Rounds)
	}
}

// PauseInterleavings checks that a webhook paused, resumed and paused again
// while events for it are ingested never holds more deliveries than its
// pause_queue_limit. Each round pauses the webhook with a seeded limit, then
// ingests a seeded number of events concurrently with a seeded run of
// pauses and resumes (two pauses at once among them), ends paused, and
// checks that no more than the limit are held; then it resumes the webhook
// and releases what it held.
func PauseInterleavings(t *testing.T, c store.Collections, o Options) {
	ctx := context.Background()
	const id, eventType = "wh_pause_interleave", "pause.interleave"
	p := newPauseRig(t, c, o, id, eventType)
	o, writes, handlers := p.o, p.writes, p.handlers
	setPaused, resume := p.setPaused, p.resume
	over := 0
	for r := range o.Rounds {
		rnd := rng(o, r)
		limit := 1 + rnd.IntN(3)
		events := limit + 1 + rnd.IntN(2*limit+2)
		w, err := writes.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := writes.Save(ctx, w, func(w *herald.Webhook) error { w.PauseQueueLimit = limit; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := setPaused(true); err != nil {
			t.Fatal(err)
		}
		// The toggler resumes and pauses again a seeded number of times,
		// each step after a seeded number of the events began; the
		// pauser pauses at once with it, as two admins clicking at once.
		steps := 1 + rnd.IntN(3)
		gates := make([]int, steps)
		for i := range gates {
			gates[i] = rnd.IntN(events)
		}
		slices.Sort(gates)
		var began atomic.Int32
		fns := make([]func() error, events, events+2)
		for n := range fns {
			h := handlers[rnd.IntN(len(handlers))]
			fns[n] = func() error { began.Add(1); return h.Handle(ctx, event(eventType, r, n)) }
		}
		fns = append(fns, func() error {
			for _, gate := range gates {
				for int(began.Load()) < gate {
					runtime.Gosched()
				}
				if err := resume(); err != nil {
					return err
				}
				if err := setPaused(true); err != nil {
					return err
				}
			}
			return nil
		}, func() error {
			for int(began.Load()) < gates[0] {
				runtime.Gosched()
			}
			return setPaused(true)
		})
		for n, err := range together(fns) {
			if err != nil {
				t.Fatalf("round %d: step %d: %v", r, n, err)
			}
		}
		held, err := store.HeldCount(ctx, c.Deliveries, id)
		if err != nil {
			t.Fatal(err)
		}
		if held > limit {
			over++
			t.Errorf("round %d: %d events to a webhook paused, resumed and paused again %d times with a queue of %d: %d held",
				r, events, steps, limit, held)
		}
		if err := resume(); err != nil {
			t.Fatal(err)
		}
	}
	if over > 0 {
		t.Logf("more than the limit was held in %d of %d rounds", over, o.Rounds)
	}
}

// pauseRig is what the pause checks share: ingest handlers over c, and the
// webhook id they fan events of eventType out to.
type pauseRig struct {
	o        Options
	c        store.Collections
	id       string
	clock    *heraldtest.Clock
	enq      *heraldtest.Enqueuer
	handlers []*ingest.Handler
	table    *cache.Webhooks
	writes   store.WebhookWrites
	// configure configures each handler further.
	configure []func(*ingest.Config)
}

// handler returns another ingest handler of the rig.
func (p *pauseRig) handler(t *testing.T) *ingest.Handler {
	cfg := ingest.Config{Webhooks: p.c.Webhooks, Events: p.c.Events, Deliveries: p.c.Deliveries,
		Enqueuer: p.enq, Table: p.table, Now: p.clock.Now}
	for _, f := range p.configure {
		f(&cfg)
	}
	h, err := ingest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// newPauseRig returns the rig of a pause check, its handlers configured
// further by each of configure.
func newPauseRig(t *testing.T, c store.Collections, o Options, id, eventType string, configure ...func(*ingest.Config)) *pauseRig {
	o = o.withDefaults()
	p := &pauseRig{o: o, c: c, id: id, clock: heraldtest.NewClock(t0), enq: &heraldtest.Enqueuer{}}
	table := o.table(c, p.clock.Now)
	p.table, p.configure = table, configure
	p.handlers = make([]*ingest.Handler, o.Handlers)
	for i := range p.handlers {
		p.handlers[i] = p.handler(t)
	}
	p.writes = store.WebhookWrites{Coll: c.Webhooks, Table: table}
	if err := p.writes.Create(context.Background(), newWebhook(t, id, eventType, "https://example.com/"+id)); err != nil {
		t.Fatal(err)
	}
	return p
}

// setPaused pauses or resumes the webhook, and nothing else.
func (p *pauseRig) setPaused(paused bool) error {
	return p.writes.SetPaused(context.Background(), p.id, paused, p.clock.Now())
}

// resume resumes the webhook and sends every delivery it held, as the
// admin API's resume does.
func (p *pauseRig) resume() error {
	ctx := context.Background()
	if err := p.setPaused(false); err != nil {
		return err
	}
	held, err := store.All[herald.Delivery](ctx, store.HeldDeliveries(p.c.Deliveries, p.id).Get(ctx, store.HeldFields...))
	if err != nil {
		return err
	}
	life := store.Lifecycle{Deliveries: p.c.Deliveries}
	for _, d := range held {
		switch err := p.c.Deliveries.Get(ctx, d); {
		case store.NotFound(err):
			continue
		case err != nil:
			return err
		case d.Status != herald.StatusPaused:
			continue
		}
		if err := life.Rearm(ctx, p.enq, d, false, p.clock.Now()); err != nil && !store.Conflict(err) {
			return err
		}
	}
	return nil
}
