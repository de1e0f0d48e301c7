package schedule

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

func TestNativeMaxDelayMem(t *testing.T) {
	t.Parallel()
	if got := NativeMaxDelay(mempubsub.NewTopic()); got != 0 {
		t.Fatalf("NativeMaxDelay(mem topic) = %v, want 0", got)
	}
}

func TestNewRequiresResources(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	if _, err := NewEnqueuer(EnqueuerConfig{Topic: r.topic}); err == nil {
		t.Error("NewEnqueuer without Table accepted")
	}
	if _, err := NewEnqueuer(EnqueuerConfig{Table: r.table}); err == nil {
		t.Error("NewEnqueuer without Topic accepted")
	}
	if _, err := New(Config{Topic: r.topic, Table: r.table}); err == nil {
		t.Error("New without Deliveries accepted")
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
			e := r.enqueuer(t, EnqueuerConfig{Now: heraldtest.NewClock(t0).Now, OnSchedule: func(time.Time) { scheduled++ }})
			job := herald.Job{DeliveryID: 42, Attempt: 3}
			if err := e.Enqueue(context.Background(), job, tc.due); err != nil {
				t.Fatal(err)
			}
			if got := r.receiveJobs(t, 1); got[0] != job {
				t.Fatalf("published %+v, want %+v", got[0], job)
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
	e := r.enqueuer(t, EnqueuerConfig{Now: heraldtest.NewClock(t0).Now, OnSchedule: func(due time.Time) {
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
	want := []entry{{ID: "42-2", DueShard: herald.Shard("42-2"), DueMS: herald.Millis(due), DeliveryID: 42, Attempt: 2}}
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
