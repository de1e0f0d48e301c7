package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// recoveryScanLimit bounds the deliveries one recovery pass reads, so that
// a long window of deliveries that did not fail is read over several
// passes, each short.
const recoveryScanLimit = 1000

// runRecovery makes one pass of the recovery whose due-time index entry is
// ent (see store.Recovery): of the deliveries it released, those still
// pending are in flight; as many more of the window's failed ones as the
// webhook's cap leaves room for are attempted again, oldest first, each as
// an admin's retry would (store.Lifecycle.Retry). The record is then
// written with its revision, due again after RecoveryInterval, or deleted
// when the window is done. A record changed meanwhile (another scheduler's
// pass) is left to that pass. It returns when the next pass is due (0 when
// there is none, or the record was not read).
func (s *Scheduler) runRecovery(ctx context.Context, ent *store.Entry, now time.Time) (int64, error) {
	rec := &store.Recovery{ID: ent.ID}
	switch err := s.cfg.Table.Get(ctx, rec); {
	case store.NotFound(err):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("read recovery %s: %w", ent.ID, err)
	}
	if rec.DueMS > herald.Millis(now) {
		return rec.DueMS, nil
	}
	inFlight, err := s.stillPending(ctx, rec.InFlight)
	if err != nil {
		return 0, err
	}
	released, done, err := s.release(ctx, rec, rec.MaxInFlight-len(inFlight), now)
	rec.InFlight = append(inFlight, released...)
	rec.Released += len(released)
	if err != nil {
		// What was released is written down before the error is returned.
		done = false
	}
	if done {
		s.cfg.Logger.Info("recovery done", "webhook_id", rec.WebhookID, "released", rec.Released)
		if derr := s.cfg.Table.Delete(ctx, rec); derr != nil && !store.NotFound(derr) && !store.Conflict(derr) {
			return 0, fmt.Errorf("delete recovery %s: %w", rec.ID, derr)
		}
		return 0, nil
	}
	rec.DueMS = herald.Millis(now.Add(s.cfg.RecoveryInterval))
	if werr := s.cfg.Table.Replace(ctx, rec); werr != nil && !store.Conflict(werr) {
		return 0, errors.Join(err, fmt.Errorf("write recovery %s: %w", rec.ID, werr))
	}
	if len(released) > 0 {
		s.cfg.Logger.Info("recovery released deliveries", "webhook_id", rec.WebhookID, "count", len(released))
	}
	return rec.DueMS, err
}

// stillPending returns those of the deliveries ids that are still pending.
func (s *Scheduler) stillPending(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		d := &herald.Delivery{ID: id}
		switch err := s.cfg.Deliveries.Get(ctx, d, store.StatusFields...); {
		case store.NotFound(err):
		case err != nil:
			return nil, fmt.Errorf("read released delivery %d: %w", id, err)
		case d.Status == herald.StatusPending:
			out = append(out, id)
		}
	}
	return out, nil
}

// release attempts again up to free of the failed deliveries of rec's
// window after its cursor, oldest first, moving the cursor past each
// delivery read. It returns those released and whether the window is done.
func (s *Scheduler) release(ctx context.Context, rec *store.Recovery, free int, now time.Time) (released []int64, done bool, err error) {
	if free <= 0 {
		return nil, false, nil
	}
	read := 0
	after := store.WebhookDeliveriesAfter(s.cfg.Deliveries, rec.WebhookID, rec.Cursor).Get(ctx, store.StatusFields...)
	for key, err := range store.Docs[herald.Delivery](ctx, after) {
		switch {
		case err != nil:
			return released, false, fmt.Errorf("query deliveries of %s: %w", rec.WebhookID, err)
		case key.ID > rec.UntilID:
			return released, true, nil
		case len(released) == free || read == recoveryScanLimit:
			return released, false, nil
		}
		read++
		rec.Cursor = key.ID
		if key.Status != herald.StatusFailed {
			continue
		}
		ok, err := s.retry(ctx, key.ID, now)
		if err != nil {
			rec.Cursor = key.ID - 1 // tried again at the next pass
			return released, false, err
		}
		if ok {
			released = append(released, key.ID)
		}
	}
	return released, true, nil
}

// retry reads failed delivery id whole and re-arms it for one attempt, as
// an admin's retry does. It reports false, with no error, when the
// delivery moved on meanwhile.
func (s *Scheduler) retry(ctx context.Context, id int64, now time.Time) (bool, error) {
	d := &herald.Delivery{ID: id}
	switch err := s.cfg.Deliveries.Get(ctx, d); {
	case store.NotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read failed delivery %d: %w", id, err)
	}
	if d.Status != herald.StatusFailed {
		return false, nil
	}
	_, err := s.life.Retry(ctx, publisher{s}, d, false, now)
	switch {
	case store.Conflict(err), errors.Is(err, store.ErrAttemptInFlight):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// publisher publishes deliver jobs on the deliver topic (a store.Enqueuer
// for the jobs a recovery makes due now).
type publisher struct{ s *Scheduler }

func (p publisher) Enqueue(ctx context.Context, job herald.Job, due time.Time) error {
	if err := p.s.cfg.Delayer.Send(ctx, p.s.cfg.Topic, job.Encode(), due.Sub(p.s.cfg.Now())); err != nil {
		return fmt.Errorf("publish recovered job: %w", err)
	}
	return nil
}
