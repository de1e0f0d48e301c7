package schedule

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// t0 is the fake clock's start, on a whole millisecond as stored times are.
var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// rig is one test's own deliver topic, its subscription, and the schedule and
// deliveries collections, all in memory.
type rig struct {
	topic             *pubsub.Topic
	sub               *pubsub.Subscription
	table, deliveries *docstore.Collection
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{topic: mempubsub.NewTopic()}
	// The subscription must exist before anything is published: mempubsub
	// drops messages sent to a topic without one.
	r.sub = mempubsub.NewSubscription(r.topic, time.Minute)
	r.table = heraldtest.Collection(t)
	r.deliveries = heraldtest.Collection(t)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = r.sub.Shutdown(ctx)
		_ = r.topic.Shutdown(ctx)
	})
	return r
}

func (r *rig) scheduler(t *testing.T, cfg Config) *Scheduler {
	t.Helper()
	cfg.Topic, cfg.Table, cfg.Deliveries = r.topic, r.table, r.deliveries
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (r *rig) enqueuer(t *testing.T, cfg enqueue.Config) *enqueue.Enqueuer {
	t.Helper()
	cfg.Topic, cfg.Table = r.topic, r.table
	e, err := enqueue.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// receiveJobs receives n jobs, acknowledging each, and returns them in the
// order they were published. mempubsub hands messages out in no particular
// order but numbers them as they are sent ("msg #N"), which gives the order.
func (r *rig) receiveJobs(t *testing.T, n int) []herald.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type sent struct {
		seq int
		job herald.Job
	}
	var got []sent
	for i := range n {
		m, err := r.sub.Receive(ctx)
		if err != nil {
			t.Fatalf("receive job %d of %d: %v", i+1, n, err)
		}
		m.Ack()
		j, err := herald.DecodeJob(m.Body)
		if err != nil {
			t.Fatalf("decode job %q: %v", m.Body, err)
		}
		var seq int
		if _, err := fmt.Sscanf(m.LoggableID, "msg #%d", &seq); err != nil {
			t.Fatalf("mempubsub message id %q: %v", m.LoggableID, err)
		}
		got = append(got, sent{seq, j})
	}
	slices.SortFunc(got, func(a, b sent) int { return a.seq - b.seq })
	jobs := make([]herald.Job, len(got))
	for i, s := range got {
		jobs[i] = s.job
	}
	return jobs
}

// expectNoJob fails if a message arrives within a bounded wait. Topic.Send
// has returned by the time it is called, and mempubsub hands out what it holds
// within one 250 ms poll, so the wait is generous.
func (r *rig) expectNoJob(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	m, err := r.sub.Receive(ctx)
	if err == nil {
		m.Ack()
		t.Fatalf("unexpected job published: %s", m.Body)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("receive: %v", err)
	}
}

// entries returns every entry of the schedule table, earliest due first.
func (r *rig) entries(t *testing.T) []store.Entry {
	t.Helper()
	ctx := context.Background()
	iter := r.table.Query().Get(ctx)
	defer iter.Stop()
	var out []store.Entry
	for {
		var e store.Entry
		err := iter.Next(ctx, &e)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		e.DocstoreRevision = nil
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b store.Entry) int { return int(a.DueMS - b.DueMS) })
	return out
}
