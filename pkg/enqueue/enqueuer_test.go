package enqueue_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
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

// rig is one test's own deliver topic, its subscription and the schedule
// collection, all in memory.
type rig struct {
	topic *pubsub.Topic
	sub   *pubsub.Subscription
	table *docstore.Collection
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{topic: mempubsub.NewTopic(), table: heraldtest.Collection(t)}
	// The subscription must exist before anything is published: mempubsub
	// drops messages sent to a topic without one.
	r.sub = mempubsub.NewSubscription(r.topic, time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = r.sub.Shutdown(ctx)
		_ = r.topic.Shutdown(ctx)
	})
	return r
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

// receiveOne receives and acks one job.
func (r *rig) receiveOne(t *testing.T) herald.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := r.sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	j, err := herald.DecodeJob(m.Body)
	if err != nil {
		t.Fatalf("decode job %q: %v", m.Body, err)
	}
	return j
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

func TestNewRequiresResources(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	if _, err := enqueue.New(enqueue.Config{Topic: r.topic}); err == nil {
		t.Error("New without Table accepted")
	}
	if _, err := enqueue.New(enqueue.Config{Table: r.table}); err == nil {
		t.Error("New without Topic accepted")
	}
}

func TestEnqueueDuePublishesAtOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		due  time.Time
	}{
		{"due now", t0},
		{"overdue", t0.Add(-time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			scheduled := 0
			e := r.enqueuer(t, enqueue.Config{Now: heraldtest.NewClock(t0).Now, OnSchedule: func(time.Time) { scheduled++ }})
			job := herald.Job{DeliveryID: 42, Attempt: 3}
			if err := e.Enqueue(context.Background(), job, tc.due); err != nil {
				t.Fatal(err)
			}
			if got := r.receiveOne(t); got != job {
				t.Fatalf("published %+v, want %+v", got, job)
			}
			if got := r.entries(t); len(got) != 0 {
				t.Fatalf("table has %+v, want no entries", got)
			}
			if scheduled != 0 {
				t.Fatalf("OnSchedule called %d times for a job published at once", scheduled)
			}
		})
	}
}

func TestEnqueueLaterWritesOneEntry(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var mu sync.Mutex
	var told []time.Time
	e := r.enqueuer(t, enqueue.Config{Now: heraldtest.NewClock(t0).Now, OnSchedule: func(due time.Time) {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, due)
	}})
	ctx := context.Background()
	job := herald.Job{DeliveryID: 42, Attempt: 2}
	due := t0.Add(90 * time.Minute)
	for range 2 { // the same attempt scheduled twice stays one entry
		if err := e.Enqueue(ctx, job, due); err != nil {
			t.Fatal(err)
		}
	}
	want := []store.Entry{{ID: "42-2", DueShard: herald.Shard("42-2"), DueMS: herald.Millis(due), DeliveryID: 42, Attempt: 2}}
	if got := r.entries(t); !slices.Equal(got, want) {
		t.Fatalf("table = %+v, want %+v", got, want)
	}
	mu.Lock()
	if !slices.EqualFunc(told, []time.Time{due, due}, time.Time.Equal) {
		t.Errorf("OnSchedule told %v, want %v twice", told, due)
	}
	mu.Unlock()

	// The next attempt of the same delivery is a separate entry.
	if err := e.Enqueue(ctx, herald.Job{DeliveryID: 42, Attempt: 3}, due.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := r.entries(t); len(got) != 2 {
		t.Fatalf("table = %+v, want two entries", got)
	}
	r.expectNoJob(t) // mem has no native delay: nothing published yet
}

// TestEnqueueUsesInjectedDelay: with a Delayer, a job due within its Max is
// published at once with the remaining delay set on the message; one due
// later goes through the table, and nothing is set on a job due already.
func TestEnqueueUsesInjectedDelay(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var set []time.Duration
	delayer := enqueue.Delayer{Max: 15 * time.Minute, Set: func(m *pubsub.Message, d time.Duration) {
		set = append(set, d)
	}}
	e := r.enqueuer(t, enqueue.Config{Now: heraldtest.NewClock(t0).Now, Delayer: delayer})
	ctx := context.Background()
	soon := herald.Job{DeliveryID: 1, Attempt: 2}
	if err := e.Enqueue(ctx, soon, t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := r.receiveOne(t); got != soon {
		t.Fatalf("published %+v, want %+v", got, soon)
	}
	if got := r.entries(t); len(got) != 0 {
		t.Fatalf("a step within the delay went through the table: %+v", got)
	}
	if err := e.Enqueue(ctx, herald.Job{DeliveryID: 2, Attempt: 2}, t0.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := r.entries(t); len(got) != 1 || got[0].DeliveryID != 2 {
		t.Fatalf("table = %+v, want the step beyond the delay", got)
	}
	now := herald.Job{DeliveryID: 3, Attempt: 1}
	if err := e.Enqueue(ctx, now, t0); err != nil {
		t.Fatal(err)
	}
	if got := r.receiveOne(t); got != now {
		t.Fatalf("published %+v, want %+v", got, now)
	}
	if !slices.Equal(set, []time.Duration{10 * time.Minute}) {
		t.Errorf("delays set %v, want [10m]", set)
	}
}
