package schedule

import (
	"context"
	"time"
)

// Run is the long-running adapter: it publishes due entries, sleeps until the
// next one falls due (or MaxSleep, or a Wake with an earlier time), and sweeps
// every SweepInterval, until ctx is done. Store errors are logged and the pass
// tried again after a short pause; Run returns nil when ctx is done.
func (s *Scheduler) Run(ctx context.Context) error {
	nextSweep := s.cfg.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		s.mu.Lock()
		s.hint = time.Time{}
		s.mu.Unlock()

		now := s.cfg.Now()
		target := now.Add(s.cfg.MaxSleep)
		next, n, err := s.PublishDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.cfg.Logger.Error("publish due jobs", "error", err)
			target = now.Add(time.Second)
		case n > 0:
			s.cfg.Logger.Debug("published due jobs", "count", n)
		}
		if !next.IsZero() && next.Before(target) {
			target = next
		}
		if !now.Before(nextSweep) {
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("sweep overdue deliveries", "error", err)
			}
			nextSweep = now.Add(s.cfg.SweepInterval)
		}
		if nextSweep.Before(target) {
			target = nextSweep
		}
		if err := s.sleepUntil(ctx, timer, target); err != nil {
			return nil
		}
	}
}

// sleepUntil waits until target, moving it earlier when Wake reports an
// earlier due time. It returns ctx's error when ctx is done.
func (s *Scheduler) sleepUntil(ctx context.Context, timer *time.Timer, target time.Time) error {
	for {
		timer.Reset(time.Until(target))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return nil
		case <-s.wake:
			s.mu.Lock()
			hint := s.hint
			s.mu.Unlock()
			if !hint.IsZero() && hint.Before(target) {
				target = hint
			}
		}
	}
}

// Tick is one pass for a scheduled invocation (the Lambda adapter, every
// minute): publish what is due — on SQS, what falls due within the native
// delay, with its remaining delay — and sweep for lost jobs.
func (s *Scheduler) Tick(ctx context.Context) error {
	if _, _, err := s.PublishDue(ctx); err != nil {
		return err
	}
	_, err := s.Sweep(ctx)
	return err
}
