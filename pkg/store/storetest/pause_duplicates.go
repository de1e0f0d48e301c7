package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
)

// PauseDuplicates checks that a paused webhook's pause queue is exact when
// every event comes two or three times at once (at-least-once delivery of
// the ingest topic: a redelivered message handled while the first copy
// still fans out): no more than the limit held, each in a slot of the
// pause, every event one delivery, held or dropped, each drop counted in
// pause_dropped once, and webhook.endpoint.pause_overflow announced once
// for each pause that dropped one, never for one that did not. The
// handlers take each other's fan-out leases over at once (SoleOwner: each
// takes the other's for a gone process's), so the copies of an event fan
// out together. It logs how many rounds held fewer than min(events, limit):
// two copies split, one taking the last slot and the other keeping its
// drop first (the slot is then given back).
func PauseDuplicates(t *testing.T, c store.Collections, o Options) {
	ctx := context.Background()
	const id, eventType = "wh_pause_dup", "pause.dup"
	own := newEventLog(t, herald.EventPauseOverflow)
	p := newPauseRig(t, c, o, id, eventType, func(cfg *ingest.Config) { cfg.SoleOwner, cfg.OwnEvents = true, own.topic })
	// The redelivery after the round, by a handler of its own (a handler
	// waits out its own live lease).
	late := p.handler(t)
	o = p.o
	off, short := 0, 0
	// announced is how many pause_overflow events (distinct event_ids)
	// were published since it was last asked.
	seen := 0
	announced := func(l *eventLog) int {
		n := len(l.drain(t)) - seen
		seen += n
		return n
	}
	for r := range o.Rounds {
		rnd := rng(o, r)
		limit := 1 + rnd.IntN(3)
		events := 1 + rnd.IntN(2*limit+2)
		p.clock.Advance(time.Second)
		p.pauseWith(t, limit)
		before := p.tally(t)
		var fns []func() error
		for n := range events {
			copies := 2 + rnd.IntN(len(p.handlers)-1)
			for _, i := range rnd.Perm(len(p.handlers))[:copies] {
				h := p.handlers[i]
				fns = append(fns, func() error {
					// A copy that lost its fan-out to another's
					// fails, and is redelivered below.
					if err := h.Handle(ctx, event(eventType, r, n)); herald.IsMalformed(err) {
						return err
					}
					return nil
				})
			}
		}
		for n, err := range together(fns) {
			if err != nil {
				t.Fatalf("round %d: copy %d: %v", r, n, err)
			}
		}
		for n := range events {
			if err := late.Handle(ctx, event(eventType, r, n)); err != nil {
				t.Fatalf("round %d: redelivered event %d: %v", r, n, err)
			}
		}
		after := p.tally(t)
		failed, ann := after.failed-before.failed, announced(own)
		what := exact(before, after, limit, events, -1)
		switch {
		case what != "":
		case after.held+failed != events:
			what = fmt.Sprintf("%d held and %d dropped of %d events", after.held, failed, events)
		case ann != min(failed, 1):
			what = fmt.Sprintf("the overflow announced %d times with %d dropped", ann, failed)
		}
		if what != "" {
			off++
			t.Errorf("round %d: %d events, each two or three times, to a paused webhook with a queue of %d: %s",
				r, events, limit, what)
		}
		if after.held < min(events, limit) {
			short++
		}
		p.clock.Advance(time.Second)
		if err := p.resume(); err != nil {
			t.Fatal(err)
		}
	}
	if off > 0 {
		t.Logf("the queue or its count was off in %d of %d rounds", off, o.Rounds)
	}
	t.Logf("%d of %d rounds held fewer than they could: a copy found the queue full with its twin's slot, and kept its drop first",
		short, o.Rounds)
}
