package function_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/memq"
	"github.com/heraldhq/herald/pkg/schedule"
	"github.com/heraldhq/herald/pkg/store"
)

// t0 is the fake clock's start, on a whole millisecond as stored times are.
var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func TestDelayerMem(t *testing.T) {
	t.Parallel()
	if got := function.Delayer(mempubsub.NewTopic()); got.Max != 0 || got.Set != nil {
		t.Fatalf("Delayer(mem topic) = %+v, want none", got)
	}
}

// TestEnqueueUsesMemqDelay enqueues a job due in 10 min on a memq topic: it
// goes out at once as a delayed message, not through the due-time table, and
// the queue holds it back until the (fake) clock reaches its due time.
func TestEnqueueUsesMemqDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := heraldtest.NewClock(t0)
	r := newMemqRig(t, clock)
	if got := function.Delayer(r.topic).Max; got != 24*time.Hour {
		t.Fatalf("Delayer(memq topic).Max = %v, want %v", got, 24*time.Hour)
	}
	sub := r.sub
	scheduled := 0
	e, err := enqueue.New(enqueue.Config{Topic: r.topic, Table: r.table, Delayer: function.Delayer(r.topic),
		Now: clock.Now, OnSchedule: func(time.Time) { scheduled++ }})
	if err != nil {
		t.Fatal(err)
	}
	job := herald.Job{DeliveryID: 42, Attempt: 2}
	if err := e.Enqueue(ctx, job, t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := r.entries(t); len(got) != 0 || scheduled != 0 {
		t.Fatalf("a 10 min step went through the due-time table: %+v", got)
	}
	early, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if m, err := sub.Receive(early); err == nil {
		m.Ack()
		t.Fatalf("received %q before it was due", m.Body)
	}
	clock.Set(t0.Add(10 * time.Minute))
	if got := receiveOne(t, sub); got != job {
		t.Fatalf("received %+v, want %+v", got, job)
	}
}

// TestRecoverOnMemqRepublishesDelayed: at start, a pending delivery due
// within memq's delay had a delayed message that died with the previous
// process; Recover publishes it again with the remaining delay.
func TestRecoverOnMemqRepublishesDelayed(t *testing.T) {
	t.Parallel()
	clock := heraldtest.NewClock(t0)
	r := newMemqRig(t, clock)
	s, err := schedule.New(schedule.Config{Topic: r.topic, Delayer: function.Delayer(r.topic), Table: r.table,
		Deliveries: r.deliveries, Now: clock.Now, SweepGrace: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	overdueSet(t, r.deliveries)
	n, err := s.Recover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1}, {DeliveryID: 3, Attempt: 2}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want)+1 || !slices.Equal(got, want) {
		t.Fatalf("Recover = %d, published %+v; want %d, %+v and one delayed", n, got, len(want)+1, want)
	}
	r.expectNoJob(t)
	if got := r.nextAttempt(t, 5); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("delivery 5 due at %v after Recover, want unchanged %v", got, t0.Add(time.Hour))
	}
	clock.Set(t0.Add(time.Hour))
	if got, want := receiveOne(t, r.sub), (herald.Job{DeliveryID: 5, Attempt: 2}); got != want {
		t.Fatalf("at its due time received %+v, want %+v", got, want)
	}
}

// memqRig is one test's memq deliver topic, whose delays run on a clock,
// its subscription, and the schedule and deliveries collections.
type memqRig struct {
	topic             *pubsub.Topic
	sub               *pubsub.Subscription
	table, deliveries *docstore.Collection
}

// newMemqRig opens the rig's topic on a broker of its own.
func newMemqRig(t *testing.T, clock *heraldtest.Clock) *memqRig {
	t.Helper()
	ctx := context.Background()
	b := memq.NewBroker(memq.BrokerOptions{Now: clock.Now})
	r := &memqRig{topic: b.OpenTopic("deliver"), sub: b.OpenSubscription("deliver", memq.SubscriptionOptions{}),
		table: heraldtest.Collection(t), deliveries: heraldtest.Collection(t)}
	t.Cleanup(func() { _ = r.sub.Shutdown(ctx); _ = r.topic.Shutdown(ctx) })
	return r
}

// overdueSet writes one delivery per case of the sweep to deliveries, now
// being t0 and the sweep grace one minute.
func overdueSet(t *testing.T, deliveries *docstore.Collection) {
	t.Helper()
	ms := func(d time.Duration) int64 { return herald.Millis(t0.Add(d)) }
	docs := []*herald.Delivery{
		// Lost: overdue past the grace, lease long expired.
		{ID: 1, Status: herald.StatusPending, AttemptCount: 2, NextAttemptMS: ms(-5 * time.Minute), LeaseUntilMS: ms(-4 * time.Minute)},
		// Lost before its first attempt was ever claimed: no lease at all.
		{ID: 2, Status: herald.StatusPending, NextAttemptMS: ms(-2 * time.Minute)},
		// Overdue, but by less than the grace: its job may just be slow.
		{ID: 3, Status: herald.StatusPending, AttemptCount: 1, NextAttemptMS: ms(-30 * time.Second)},
		// Overdue, but an attempt is in flight.
		{ID: 4, Status: herald.StatusPending, AttemptCount: 3, NextAttemptMS: ms(-5 * time.Minute), LeaseUntilMS: ms(time.Minute)},
		// Not due yet.
		{ID: 5, Status: herald.StatusPending, AttemptCount: 1, NextAttemptMS: ms(time.Hour)},
		// Not pending.
		{ID: 6, Status: herald.StatusSucceeded, AttemptCount: 1, NextAttemptMS: ms(-time.Hour)},
		{ID: 7, Status: herald.StatusFailed, AttemptCount: 8, NextAttemptMS: ms(-time.Hour)},
		{ID: 8, Status: herald.StatusPaused, NextAttemptMS: ms(-time.Hour)},
	}
	for _, d := range docs {
		d.Derive(t0, 0)
		if err := deliveries.Put(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
}

func (r *memqRig) nextAttempt(t *testing.T, id int64) time.Time {
	t.Helper()
	d := &herald.Delivery{ID: id}
	if err := r.deliveries.Get(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return herald.FromMillis(d.NextAttemptMS)
}

// receiveJobs receives n jobs, acknowledging each.
func (r *memqRig) receiveJobs(t *testing.T, n int) []herald.Job {
	t.Helper()
	jobs := make([]herald.Job, n)
	for i := range jobs {
		jobs[i] = receiveOne(t, r.sub)
	}
	return jobs
}

// expectNoJob fails if a message arrives within a bounded wait.
func (r *memqRig) expectNoJob(t *testing.T) {
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

// entries returns every entry of the schedule table.
func (r *memqRig) entries(t *testing.T) []*store.Entry {
	t.Helper()
	ctx := context.Background()
	out, err := store.All[store.Entry](ctx, r.table.Query().Get(ctx))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sortJobs orders jobs by delivery id; a sweep publishes in no set order.
func sortJobs(jobs []herald.Job) []herald.Job {
	slices.SortFunc(jobs, func(a, b herald.Job) int { return int(a.DeliveryID - b.DeliveryID) })
	return jobs
}

// receiveOne receives and acks one job from sub.
func receiveOne(t *testing.T, sub *pubsub.Subscription) herald.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	job, err := herald.DecodeJob(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return job
}
