package storetest

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/store"
)

// PauseBackstop checks that the expiry-notifier's backstop settles held
// deliveries that nobody settled, so that a queue holds no more than its
// limit past its next tick. Each round pauses the webhook with a seeded
// limit and fills its queue; the webhook is then resumed without its held
// deliveries being released (the admin's resume died between its two
// writes) and paused again, which starts a queue with no slot taken while
// the deliveries of the first pause are still held. A seeded number of new
// events is then ingested concurrently with a tick of the notifier, and a
// last tick follows. The queue must then hold exactly its limit, each in a
// slot of the current pause, the rest dropped and counted once.
func PauseBackstop(t *testing.T, c store.Collections, o Options) {
	ctx := context.Background()
	const id, eventType = "wh_pause_backstop", "pause.backstop"
	p := newPauseRig(t, c, o, id, eventType)
	o = p.o
	n, err := expiry.New(expiry.Config{Webhooks: c.Webhooks, Deliveries: c.Deliveries, TTL: true,
		Ingest: mempubsub.NewTopic(), Enqueuer: p.enq, Table: p.table, Now: p.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tick := func() error { _, err := n.Tick(ctx); return err }
	off := 0
	for r := range o.Rounds {
		rnd := rng(o, r)
		limit := 1 + rnd.IntN(3)
		more := rnd.IntN(2*limit + 1)
		p.clock.Advance(time.Second)
		p.pauseWith(t, limit)
		before := p.tally(t)
		for e := range limit {
			if err := p.handlers[rnd.IntN(len(p.handlers))].Handle(ctx, event(eventType, r, e)); err != nil {
				t.Fatal(err)
			}
		}
		p.clock.Advance(time.Second)
		if err := p.setPaused(false); err != nil {
			t.Fatal(err)
		}
		p.clock.Advance(time.Second)
		if err := p.setPaused(true); err != nil {
			t.Fatal(err)
		}
		fns := make([]func() error, more, more+1)
		for e := range fns {
			h := p.handlers[rnd.IntN(len(p.handlers))]
			fns[e] = func() error { return h.Handle(ctx, event(eventType, r, limit+e)) }
		}
		fns = append(fns, tick)
		rnd.Shuffle(len(fns), func(i, j int) { fns[i], fns[j] = fns[j], fns[i] })
		for e, err := range together(fns) {
			if err != nil {
				t.Fatalf("round %d: step %d: %v", r, e, err)
			}
		}
		if err := tick(); err != nil {
			t.Fatal(err)
		}
		if what := exact(before, p.tally(t), limit, limit+more, limit); what != "" {
			off++
			t.Errorf("round %d: a queue of %d filled, resumed unreleased and paused again, then %d events: %s",
				r, limit, more, what)
		}
		p.clock.Advance(time.Second)
		if err := p.resume(); err != nil {
			t.Fatal(err)
		}
	}
	if off > 0 {
		t.Logf("the queue or its count was off in %d of %d rounds", off, o.Rounds)
	}
}
