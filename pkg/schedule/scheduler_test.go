package schedule

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

func TestPublishDue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	clock := heraldtest.NewClock(t0)
	e := r.enqueuer(t, enqueue.Config{Now: clock.Now})
	s := r.scheduler(t, Config{Now: clock.Now})
	ctx := context.Background()

	// Enqueued out of order; published in due order.
	jobs := map[time.Duration]herald.Job{
		10 * time.Second: {DeliveryID: 3, Attempt: 1},
		time.Second:      {DeliveryID: 1, Attempt: 2},
		5 * time.Second:  {DeliveryID: 2, Attempt: 4},
	}
	for _, after := range []time.Duration{10 * time.Second, time.Second, 5 * time.Second} {
		if err := e.Enqueue(ctx, jobs[after], t0.Add(after)); err != nil {
			t.Fatal(err)
		}
	}

	for _, step := range []struct {
		at        time.Duration // clock offset from t0
		published []herald.Job
		next      time.Time // zero when the table is empty
		left      int
	}{
		{0, nil, t0.Add(time.Second), 3},
		{5 * time.Second, []herald.Job{jobs[time.Second], jobs[5*time.Second]}, t0.Add(10 * time.Second), 1},
		{5 * time.Second, nil, t0.Add(10 * time.Second), 1}, // the same pass again finds nothing new
		{time.Minute, []herald.Job{jobs[10*time.Second]}, time.Time{}, 0},
	} {
		clock.Set(t0.Add(step.at))
		next, n, err := s.PublishDue(ctx)
		if err != nil {
			t.Fatalf("at t0+%v: PublishDue: %v", step.at, err)
		}
		if n != len(step.published) || !next.Equal(step.next) {
			t.Fatalf("at t0+%v: PublishDue = (%v, %d), want (%v, %d)", step.at, next, n, step.next, len(step.published))
		}
		if len(step.published) == 0 {
			r.expectNoJob(t)
		} else if got := r.receiveJobs(t, n); !slices.Equal(got, step.published) {
			t.Fatalf("at t0+%v: published %+v, want %+v", step.at, got, step.published)
		}
		if got := r.entries(t); len(got) != step.left {
			t.Fatalf("at t0+%v: table = %+v, want %d entries", step.at, got, step.left)
		}
	}
}

func TestWakeKeepsEarliestHint(t *testing.T) {
	t.Parallel()
	s := newRig(t).scheduler(t, Config{})
	for _, due := range []time.Time{t0.Add(time.Minute), t0.Add(time.Second), t0.Add(time.Hour)} {
		s.Wake(due) // never blocks, however many wakes are pending
	}
	s.mu.Lock()
	hint := s.hint
	s.mu.Unlock()
	if !hint.Equal(t0.Add(time.Second)) {
		t.Fatalf("hint = %v, want %v", hint, t0.Add(time.Second))
	}
}

// TestPublishDueMergesShardsInDueOrder: entries spread over every shard of
// the due-time index are published in due order across shards, each once,
// and nothing not yet due.
func TestPublishDueMergesShardsInDueOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	clock := heraldtest.NewClock(t0)
	e := r.enqueuer(t, enqueue.Config{Now: clock.Now})
	s := r.scheduler(t, Config{Now: clock.Now})
	ctx := context.Background()
	const n = 64
	shards := map[int]bool{}
	var want []herald.Job
	for i := range n {
		// Due times in an order unrelated to the ids, one second apart.
		after := time.Duration((i*37)%n+1) * time.Second
		job := herald.Job{DeliveryID: int64(i + 1), Attempt: 1}
		if err := e.Enqueue(ctx, job, t0.Add(after)); err != nil {
			t.Fatal(err)
		}
		shards[herald.Shard(store.EntryID(job))] = true
	}
	if len(shards) < herald.Shards/2 {
		t.Fatalf("the entries fell in %d shards only", len(shards))
	}
	for sec := 1; sec <= n; sec++ {
		for i := range n {
			if (i*37)%n+1 == sec {
				want = append(want, herald.Job{DeliveryID: int64(i + 1), Attempt: 1})
			}
		}
	}
	clock.Set(t0.Add(n / 2 * time.Second))
	if _, got, err := s.PublishDue(ctx); err != nil || got != n/2 {
		t.Fatalf("PublishDue at half time = %d, %v; want %d", got, err, n/2)
	}
	clock.Set(t0.Add(time.Hour))
	if _, got, err := s.PublishDue(ctx); err != nil || got != n/2 {
		t.Fatalf("PublishDue later = %d, %v; want %d", got, err, n/2)
	}
	if got := r.receiveJobs(t, n); !slices.Equal(got, want) {
		t.Fatalf("published %v, want in due order %v", got, want)
	}
	r.expectNoJob(t)
}
