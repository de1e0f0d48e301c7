package schedule

import (
	"context"
	"fmt"
	"io"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
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
func (s *Scheduler) sweep(ctx context.Context, grace time.Duration, ignoreLeases bool) (int, error) {
	now := s.cfg.Now()
	cutoff := herald.Millis(now.Add(-grace))
	iter := s.cfg.Deliveries.Query().
		Where("status", "=", herald.StatusPending).
		Where("next_attempt_ms", "<=", cutoff).
		Get(ctx)
	defer iter.Stop()
	n := 0
	// A delivery touched here moves to next_attempt_ms = now, which may be
	// ahead of where a store reading the query in pages (bolt://) has got
	// to: it comes again, and is skipped.
	seen := map[int64]bool{}
	for {
		var d herald.Delivery
		err := iter.Next(ctx, &d)
		if err == nil {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("query overdue deliveries: %w", err)
		}
		leased := d.LeaseUntilMS > herald.Millis(now)
		if leased && !ignoreLeases {
			continue // an attempt is in flight
		}
		job := herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}
		// A leased one (its worker gone) is re-armed now, so its lease is
		// cleared with the touch below.
		if delay := herald.FromMillis(d.NextAttemptMS).Sub(now); delay > 0 && !leased {
			if err := publishDelayed(ctx, s.cfg.Topic, job.Encode(), delay); err != nil {
				return n, fmt.Errorf("publish recovered job: %w", err)
			}
			n++
			continue
		}
		d.NextAttemptMS, d.LeaseUntilMS = herald.Millis(now), 0
		if err := s.cfg.Deliveries.Replace(ctx, &d); err != nil {
			if gcerrors.Code(err) == gcerrors.FailedPrecondition {
				continue // changed under us: someone else is on it
			}
			return n, fmt.Errorf("touch overdue delivery %d: %w", d.ID, err)
		}
		if err := publishDelayed(ctx, s.cfg.Topic, job.Encode(), 0); err != nil {
			return n, fmt.Errorf("publish swept job: %w", err)
		}
		s.cfg.Logger.Info("re-published overdue delivery", "delivery_id", d.ID, "attempt", job.Attempt)
		n++
	}
}
