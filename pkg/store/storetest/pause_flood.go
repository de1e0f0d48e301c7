package storetest

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/store"
)

// PauseFlood checks that pausing and resuming a webhook succeeds while a
// flood of events to it is dropped by its full pause queue, each drop a
// write of the webhook, and that the queue stays exact. Each round pauses
// the webhook with a seeded limit; twice as many goroutines as handlers
// (Options.Handlers) ingest events for it
// without pause until a toggler has resumed it (releasing what it held, as
// the admin API does) and paused it again a seeded number of times, each
// step after a seeded number of events more. Every resume and pause must
// succeed; then the webhook, paused, must hold no more than its limit, each
// in a slot of its pause, every event have one delivery and every drop be
// counted once.
func PauseFlood(t *testing.T, c store.Collections, o Options) {
	ctx := context.Background()
	const id, eventType = "wh_pause_flood", "pause.flood"
	p := newPauseRig(t, c, o, id, eventType)
	o = p.o
	floodHandlers := 2 * o.Handlers
	failed, off := 0, 0
	for r := range o.Rounds {
		rnd := rng(o, r)
		limit := 1 + rnd.IntN(2)
		steps := 1 + rnd.IntN(3)
		gates := make([]int, steps)
		for i := range gates {
			gates[i] = 1 + rnd.IntN(2*limit+2)
		}
		p.clock.Advance(time.Second)
		p.pauseWith(t, limit)
		before := p.tally(t)
		var handled, next atomic.Int32
		var stop atomic.Bool
		var wg sync.WaitGroup
		errs := make(chan error, floodHandlers+1)
		for range floodHandlers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() {
					h := p.handlers[int(next.Load())%len(p.handlers)]
					if err := h.Handle(ctx, event(eventType, r, int(next.Add(1)))); err != nil {
						errs <- err
						stop.Store(true)
						return
					}
					handled.Add(1)
				}
			}()
		}
		var calls []error
		seen := 0
		for _, gate := range gates {
			for seen += gate; int(handled.Load()) < seen && !stop.Load(); {
				runtime.Gosched()
			}
			calls = append(calls, p.resume(), p.setPaused(true))
		}
		stop.Store(true)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", r, err)
		}
		for i, err := range calls {
			if err != nil {
				failed++
				t.Errorf("round %d: %s %d of %d during a flood of drops: %v", r, []string{"resume", "pause"}[i%2], i/2+1, steps, err)
			}
		}
		if what := exact(before, p.tally(t), limit, int(handled.Load()), -1); what != "" {
			off++
			t.Errorf("round %d: a queue of %d resumed and paused %d times in a flood of %d events: %s",
				r, limit, steps, handled.Load(), what)
		}
		p.clock.Advance(time.Second)
		if err := p.resume(); err != nil {
			t.Fatal(err)
		}
	}
	if failed+off > 0 {
		t.Logf("%d pauses or resumes failed; the queue was off in %d of %d rounds", failed, off, o.Rounds)
	}
}
