package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// Sweep publishes again the job of every pending delivery that has been due
// for longer than the sweep grace with no attempt in flight: its message was
// lost (a crash between writing the delivery and publishing, a process that
// died holding it). It moves the delivery's due time to now, so a delivery
// whose job is only slow in the queue is published again at most once per
// grace period. It returns how many jobs it published.
func (s *Scheduler) Sweep(ctx context.Context) (int, error) {
	return s.sweep(ctx, s.cfg.SweepGrace, false)
}

// Recover re-arms every pending delivery that is already due, without a grace
// period. A process that keeps its deliver queue in memory calls it at start.
// On a topic with native delays (memq) it also publishes, with the remaining
// delay, every pending delivery due within the longest delay: its job was a
// delayed message that died with the previous process. Deliveries due later
// wait in the due-time table, which outlives the process.
func (s *Scheduler) Recover(ctx context.Context) (int, error) {
	return s.sweep(ctx, -s.maxDelay, false)
}

// RecoverIgnoringLeases is Recover for a process that is the only one
// attempting the deliveries of its store (local mode): at its start every
// attempt lease was taken by a process that is gone, whether it was killed
// or its shutdown deadline cut the attempt off, so the lease is cleared and
// the delivery re-armed at once instead of waiting for the lease to run out.
// The next attempt records the cut-off one as interrupted.
func (s *Scheduler) RecoverIgnoringLeases(ctx context.Context) (int, error) {
	return s.sweep(ctx, -s.maxDelay, true)
}

// sweep re-publishes the pending deliveries due before now minus grace with
// no attempt in flight (or, with ignoreLeases, whether or not one seems to
// be). A negative grace reaches into the future: those not due yet are
// published with their remaining delay and left as they are.
//
// It reads the sparse, sharded index of pending deliveries (due_shard,
// next_attempt_ms) shard by shard, for ids only, and reads each delivery it
// finds whole: overdue deliveries are few, and the index carries no more
// than its keys.
func (s *Scheduler) sweep(ctx context.Context, grace time.Duration, ignoreLeases bool) (int, error) {
	now := s.cfg.Now()
	cutoff := herald.Millis(now.Add(-grace))
	n := 0
	for shard := 1; shard <= herald.Shards; shard++ {
		c, err := s.sweepShard(ctx, shard, cutoff, now, ignoreLeases)
		n += c
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Scheduler) sweepShard(ctx context.Context, shard int, cutoff int64, now time.Time, ignoreLeases bool) (int, error) {
	n := 0
	// A delivery touched here moves to next_attempt_ms = now, which may be
	// ahead of where a store reading the query in pages (bolt://) has got
	// to: it comes again, and is skipped.
	seen := map[int64]bool{}
	overdue := store.Overdue(s.cfg.Deliveries, shard, cutoff).Get(ctx, store.OverdueFields...)
	for key, err := range store.Docs[herald.Delivery](ctx, overdue) {
		if err != nil {
			return n, fmt.Errorf("query overdue deliveries: %w", err)
		}
		if seen[key.ID] {
			continue
		}
		seen[key.ID] = true
		published, err := s.rearmOverdue(ctx, key.ID, cutoff, now, ignoreLeases)
		if err != nil {
			return n, err
		}
		if published {
			n++
		}
	}
	return n, nil
}

// rearmOverdue reads delivery id and, when it is still pending, due by
// cutoff and not leased (or ignoreLeases), publishes its job: with the
// remaining delay when it is not due yet, else at once after moving its due
// time to now with a revision-checked write. It reports whether it
// published.
func (s *Scheduler) rearmOverdue(ctx context.Context, id, cutoff int64, now time.Time, ignoreLeases bool) (bool, error) {
	d := &herald.Delivery{ID: id}
	switch err := s.cfg.Deliveries.Get(ctx, d); {
	case store.NotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read overdue delivery %d: %w", id, err)
	}
	if d.Status != herald.StatusPending || d.NextAttemptMS > cutoff {
		return false, nil // moved on since the index was read
	}
	leased := d.LeaseUntilMS > herald.Millis(now)
	if leased && !ignoreLeases {
		return false, nil // an attempt is in flight
	}
	// A preclaim whose lease ran out with no job having taken it (the job
	// waited in a backlog, or failed and waits for its message to come
	// again): the attempt was never made, so it is the first.
	s.cfg.Preclaims.Undo(d)
	job := herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}
	// A leased one (its worker gone) is re-armed now, so its lease is
	// cleared by Reschedule below.
	if delay := herald.FromMillis(d.NextAttemptMS).Sub(now); delay > 0 && !leased {
		if err := s.cfg.Delayer.Send(ctx, s.cfg.Topic, job.Encode(), delay); err != nil {
			return false, fmt.Errorf("publish recovered job: %w", err)
		}
		return true, nil
	}
	if err := s.life.Reschedule(ctx, d, now); err != nil {
		if store.Conflict(err) {
			return false, nil // changed under us: someone else is on it
		}
		return false, fmt.Errorf("touch overdue delivery %d: %w", d.ID, err)
	}
	if err := s.cfg.Delayer.Send(ctx, s.cfg.Topic, job.Encode(), 0); err != nil {
		return false, fmt.Errorf("publish swept job: %w", err)
	}
	s.cfg.Logger.Info("re-published overdue delivery", "delivery_id", d.ID, "attempt", job.Attempt)
	return true, nil
}
