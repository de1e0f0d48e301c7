package schedule

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/herald"
)

// markClock is the real clock; it remembers its first reading at or after a
// mark. Run reads the clock as it starts each pass, so for a mark at an
// entry's due time that reading is when the pass publishing the entry began —
// measured without mempubsub's 250 ms receive poll in the way.
type markClock struct {
	mu          sync.Mutex
	mark, first time.Time
}

func (c *markClock) Now() time.Time {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.mark.IsZero() && c.first.IsZero() && !now.Before(c.mark) {
		c.first = now
	}
	return now
}

func (c *markClock) setMark(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mark = t
}

func (c *markClock) firstAtMark() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first
}

// startRun runs s until the test ends, and returns a function that cancels
// it and checks that it returned nil promptly.
func startRun(t *testing.T, s *Scheduler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run returned %v after cancel, want nil", err)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("Run did not return within 2s of cancel")
		}
	}
	t.Cleanup(stop)
	return stop
}

// sweptOnStart writes a lost delivery, starts s and waits for Run's first
// pass to re-publish it: after that Run is asleep (or about to be).
func sweptOnStart(t *testing.T, r *rig, s *Scheduler) (stop func()) {
	t.Helper()
	lost := &herald.Delivery{ID: 7, Status: herald.StatusPending, NextAttemptMS: herald.Millis(time.Now().Add(-time.Hour))}
	lost.Derive(time.Now(), 0)
	if err := r.deliveries.Put(context.Background(), lost); err != nil {
		t.Fatal(err)
	}
	stop = startRun(t, s)
	if got := r.receiveJobs(t, 1); got[0] != (herald.Job{DeliveryID: 7, Attempt: 1}) {
		t.Fatalf("first pass published %+v, want the lost delivery's job", got[0])
	}
	return stop
}

func TestRunWakesForEarlierEntry(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	clock := new(markClock)
	s := r.scheduler(t, Config{Now: clock.Now, MaxSleep: time.Hour, SweepInterval: time.Hour})
	e := r.enqueuer(t, enqueue.Config{OnSchedule: s.Wake})
	stop := sweptOnStart(t, r, s)

	// Stored due times are whole milliseconds; keep due on one so the pass
	// that publishes is the first to read the clock at or after it.
	due := time.Now().Add(300 * time.Millisecond).Truncate(time.Millisecond)
	clock.setMark(due)
	job := herald.Job{DeliveryID: 8, Attempt: 2}
	if err := e.Enqueue(context.Background(), job, due); err != nil {
		t.Fatal(err)
	}
	if got := r.receiveJobs(t, 1); got[0] != job {
		t.Fatalf("published %+v, want %+v", got[0], job)
	}
	late := clock.firstAtMark().Sub(due)
	t.Logf("published %v after due", late)
	if late < 0 || late >= 250*time.Millisecond {
		t.Fatalf("published %v after due, want within 250ms", late)
	}
	if got := r.entries(t); len(got) != 0 {
		t.Fatalf("table = %+v after publishing, want empty", got)
	}
	stop()
}

func TestRunRereadsTableAfterMaxSleep(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.scheduler(t, Config{MaxSleep: 100 * time.Millisecond, SweepInterval: time.Hour})
	// Written by another process: no Wake.
	e := r.enqueuer(t, enqueue.Config{})
	stop := sweptOnStart(t, r, s)

	job := herald.Job{DeliveryID: 9, Attempt: 1}
	if err := e.Enqueue(context.Background(), job, time.Now().Add(50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := r.receiveJobs(t, 1); got[0] != job {
		t.Fatalf("published %+v, want %+v", got[0], job)
	}
	stop()
}
