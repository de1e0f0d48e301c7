package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/txn"
)

// Enqueuer puts a deliver job on the deliver topic at due.
type Enqueuer interface {
	Enqueue(ctx context.Context, job herald.Job, due time.Time) error
}

// Lifecycle moves deliveries from one status to another: the only code that
// does. Each transition sets the fields the new status implies (the next
// attempt's due time, the lease, the indexed fields of herald.Delivery.Derive)
// and writes the delivery with the revision it was read with.
type Lifecycle struct {
	Deliveries *docstore.Collection
	// Retention is how long a finished delivery is kept; 0 means
	// herald.DefaultRetention.
	Retention time.Duration
	// Preclaims, when set, are the first attempts ingest of the same
	// process claimed and no job has taken yet (see Preclaims): a retry
	// of a delivery whose preclaim ran out untaken makes its first
	// attempt, not a second after an interrupted one.
	Preclaims *Preclaims
}

// NewDelivery returns the delivery of an event to a webhook as its fan-out
// creates it, from base (its webhook, event and tenant fields), by what
// TakeHeldSlot made of it: pending and due at now (NotPaused, also a
// webhook never paused), held (paused) in a slot of base's PauseEpoch
// (Held), or failed, not sent, its pause queue full (Dropped). A dropped
// delivery is kept like the others, under the id of its event and webhook,
// so that its drop is counted once however many copies of the event fan
// out (see Handle's use of it in ingest).
func NewDelivery(base herald.Delivery, now time.Time, slot Slot) *herald.Delivery {
	d := base
	d.Status, d.NextAttemptMS = herald.StatusPending, herald.Millis(now)
	switch slot {
	case Held:
		d.Status, d.NextAttemptMS = herald.StatusPaused, 0
	case Dropped:
		stop(&d, PauseFullReason, now)
	}
	d.CreatedMS, d.UpdatedMS = herald.Millis(now), herald.Millis(now)
	return &d
}

// Create writes new deliveries ds (made by NewDelivery, their ids set) in
// one action list, each with its indexed fields (pending ones in the
// sweep's index, held ones in the held index). It returns the indexes in
// ds of those whose id was taken already, or an error when any create
// failed otherwise.
func (l Lifecycle) Create(ctx context.Context, ds []*herald.Delivery, now time.Time) (taken map[int]bool, err error) {
	actions := l.Deliveries.Actions()
	for _, d := range ds {
		d.Derive(now, l.Retention)
		actions.Create(d)
	}
	return takenIndexes(actions.Do(ctx))
}

// CreateWithEvent creates event ev (in events) and its new deliveries ds
// (made by NewDelivery, their ids set) in one transaction where the store
// offers one (txn.For: local mode's bolt:// collections, all in one file),
// and reports whether it did. It reports false, having written nothing,
// where the store offers none or a key is taken (the event stored before,
// an id held by another event's delivery): the caller then writes them one
// collection at a time.
func (l Lifecycle) CreateWithEvent(ctx context.Context, events *docstore.Collection, ev *herald.Event, ds []*herald.Delivery, now time.Time) (bool, error) {
	w := txn.For(events)
	if w == nil {
		return false, nil
	}
	creates := make([]txn.Create, 0, 1+len(ds))
	creates = append(creates, txn.Create{Coll: events, Doc: ev})
	for _, d := range ds {
		d.Derive(now, l.Retention)
		creates = append(creates, txn.Create{Coll: l.Deliveries, Doc: d})
	}
	switch err := w.Create(ctx, creates...); {
	case errors.Is(err, txn.ErrUnsupported), errors.Is(err, txn.ErrExists):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("create event %s with its deliveries: %w", ev.ID, err)
	}
	return true, nil
}

// takenIndexes returns the indexes of the creates that failed because their
// key is taken, or the error when any failed otherwise.
func takenIndexes(err error) (map[int]bool, error) {
	if err == nil {
		return nil, nil
	}
	var errs docstore.ActionListError
	if !errors.As(err, &errs) {
		return nil, err
	}
	taken := map[int]bool{}
	for _, e := range errs {
		if !AlreadyExists(e.Err) {
			return nil, err
		}
		taken[e.Index] = true
	}
	return taken, nil
}

// Claim takes attempt n of pending delivery d, leased until now+lease, so
// that of two workers holding the same job only one sends it. An attempt
// claimed earlier that never recorded a result (its worker died) is
// recorded as interrupted. It reports false, with no error, when another
// worker claimed it first.
func (l Lifecycle) Claim(ctx context.Context, d *herald.Delivery, n int, lease time.Duration, now time.Time) (bool, error) {
	if n > 1 && !hasAttempt(d, n-1) {
		d.Attempts = append(d.Attempts, herald.Attempt{Attempt: n - 1, AtMS: herald.Millis(now),
			Error: "interrupted: no result was recorded"})
	}
	d.AttemptCount = n
	d.LeaseUntilMS = herald.Millis(now.Add(lease))
	if err := l.write(ctx, d, now); err != nil {
		if Conflict(err) {
			return false, nil
		}
		return false, fmt.Errorf("claim attempt %d of delivery %d: %w", n, d.ID, err)
	}
	return true, nil
}

// Result is what an attempt's outcome makes of its delivery.
type Result int

const (
	// Succeeded: the attempt got a 2xx answer.
	Succeeded Result = iota
	// Retry: pending again, the next attempt due at the time given.
	Retry
	// Failed: a one-shot manual attempt failed; no retries follow and
	// nothing is announced.
	Failed
	// GiveUp: no attempt follows (the last one, or 410 Gone): failed, and
	// marked dropped the first time.
	GiveUp
)

// Record stores attempt a on d and moves d on by r (with Retry, due at
// next). On a conflict it reads d again and re-applies the result, a few
// times. It reports whether this write gave d up (marked it dropped).
//
// announce, when set, is called before the write of a GiveUp that marks d
// dropped, with d as it will be written: the dropped event is published
// before the failure is written, so that a failed publish records nothing
// (the attempt's lease runs out, the sweep tries it once more and announces
// again), whereas a failure written first would leave it unannounced for
// good.
func (l Lifecycle) Record(ctx context.Context, d *herald.Delivery, a herald.Attempt, r Result, next, now time.Time,
	announce func(final *herald.Delivery) error) (givenUp bool, err error) {
	if r == GiveUp && d.DroppedMS == 0 && announce != nil {
		final := *d
		final.Attempts = withAttempt(d.Attempts, a)
		if err := announce(&final); err != nil {
			return false, err
		}
	}
	err = l.modify(ctx, d, now, func(d *herald.Delivery) {
		d.Attempts = withAttempt(d.Attempts, a)
		d.LeaseUntilMS, d.NextAttemptMS, givenUp = 0, 0, false
		switch r {
		case Succeeded:
			d.Status = herald.StatusSucceeded
		case Retry:
			d.Status, d.NextAttemptMS = herald.StatusPending, herald.Millis(next)
		case Failed:
			d.Status = herald.StatusFailed
		case GiveUp:
			d.Status = herald.StatusFailed
			if d.DroppedMS == 0 {
				d.DroppedMS, givenUp = herald.Millis(now), true
			}
		}
	})
	return givenUp, err
}

// Stop ends a pending delivery that cannot be sent, without a request or
// an event: failed, with a "not sent: reason" attempt that takes the next
// number, so a later retry gets the one after. It returns ErrStale, and
// writes nothing, when d is found no longer pending (finished meanwhile,
// or held) or at another attempt.
func (l Lifecycle) Stop(ctx context.Context, d *herald.Delivery, reason string, now time.Time) error {
	attempts := d.AttemptCount
	return l.modifyIf(ctx, d, now, func(d *herald.Delivery) error {
		if d.Status != herald.StatusPending || d.AttemptCount != attempts {
			return ErrStale
		}
		stop(d, reason, now)
		return nil
	})
}

// stop makes d failed as not sent for reason (see Stop).
func stop(d *herald.Delivery, reason string, now time.Time) {
	d.Status, d.NextAttemptMS, d.LeaseUntilMS, d.PauseEpoch = herald.StatusFailed, 0, 0, 0
	d.AttemptCount++
	d.Attempts = append(d.Attempts, herald.Attempt{Attempt: d.AttemptCount,
		AtMS: herald.Millis(now), Error: "not sent: " + reason})
}

// Hold parks pending delivery d while its webhook is paused, in a slot of
// pause epoch of its pause queue the caller took (see
// WebhookWrites.TakeHeldSlot), and then settles it (see Settle). It returns
// ErrStale, and writes nothing, when d is no longer pending (another copy
// of its job held it, or moved it on): the caller's slot is then not used.
func (l Lifecycle) Hold(ctx context.Context, webhooks WebhookWrites, enq Enqueuer, d *herald.Delivery, epoch int64, now time.Time) error {
	err := l.modifyIf(ctx, d, now, func(d *herald.Delivery) error {
		if d.Status != herald.StatusPending {
			return ErrStale
		}
		d.Status, d.NextAttemptMS, d.LeaseUntilMS, d.PauseEpoch = herald.StatusPaused, 0, 0, epoch
		return nil
	})
	if err != nil {
		return err
	}
	return l.Settle(ctx, webhooks, enq, []*herald.Delivery{d}, now)
}

// Settle is what whoever writes a delivery as paused does after the write,
// for each of held (read whole, or as written): it took a slot of its
// webhook's pause queue first (TakeHeldSlot), but a resume, and a new
// pause, may have come in between. A webhook resumed meanwhile gets the
// delivery at once (Rearm). A webhook paused again started its queue
// with no slot taken, the delivery's not among them: it takes a slot of
// the new pause and records it on the delivery, or, the queue being full,
// the delivery is not sent (its drop counted by TakeHeldSlot). So no
// delivery is held for long without a slot of the pause it is held in.
// What remains is the window between the delivery's write and this check,
// two documents written one after the other: a delivery whose slot's pause
// ended in it (resumed and paused again) is held beside the new pause's
// queue until it is settled here, or, when its writer died in between, by
// the expiry-notifier's next tick (SettleHeld): the held index may count
// more than the limit for that long, pause_held never does.
func (l Lifecycle) Settle(ctx context.Context, webhooks WebhookWrites, enq Enqueuer, held []*herald.Delivery, now time.Time) error {
	for _, d := range held {
		release, err := l.settle(ctx, webhooks, d, now)
		if err != nil {
			return err
		}
		if !release {
			continue
		}
		if webhooks.releasing != nil {
			webhooks.releasing()
		}
		// Re-armed without another read of the webhook: a pause since
		// settle's read that left d held would leave it in a slot of the
		// pause that ended, beside the new pause's queue. Sent, d is held
		// again by deliver, in a slot of the new pause, when its attempt
		// finds the webhook paused.
		if err := l.Rearm(ctx, enq, d, false, now); err != nil && !Conflict(err) {
			return err
		}
	}
	return nil
}

// settle settles held delivery d (see Settle) but for its release. It
// reports true when d is to be released (its webhook resumed, or gone),
// false when it stays held in a slot of the current pause, or is held no
// more (stopped, or moved on by another).
func (l Lifecycle) settle(ctx context.Context, webhooks WebhookWrites, d *herald.Delivery, now time.Time) (bool, error) {
	for {
		w, err := webhooks.Get(ctx, d.WebhookID)
		switch {
		case errors.Is(err, herald.ErrNotFound) || err == nil && !w.Paused:
			return true, nil
		case err != nil:
			return false, err
		case w.PauseEpoch == d.PauseEpoch:
			return false, nil // held in a slot of this pause
		}
		if gone, err := l.takeNewSlot(ctx, webhooks, d, now); err != nil || gone {
			return false, err
		}
	}
}

// takeNewSlot takes a slot of its webhook's current pause for held
// delivery d, whose slot is of an earlier pause, and records it on d; or
// stops d when the queue is full. It reports true when d is held no more
// (stopped, or moved on by another).
func (l Lifecycle) takeNewSlot(ctx context.Context, webhooks WebhookWrites, d *herald.Delivery, now time.Time) (bool, error) {
	slot, w, err := webhooks.TakeHeldSlot(ctx, d.WebhookID)
	if err != nil || slot == NotPaused {
		return false, err
	}
	was := d.PauseEpoch
	err = l.modifyIf(ctx, d, now, func(d *herald.Delivery) error {
		if d.Status != herald.StatusPaused || d.PauseEpoch != was {
			return ErrStale // resumed, or settled by another
		}
		if slot == Dropped {
			stop(d, PauseFullReason, now)
			return nil
		}
		d.PauseEpoch = w.PauseEpoch
		return nil
	})
	switch {
	case errors.Is(err, ErrStale):
		return true, webhooks.GiveBack(ctx, d.WebhookID, slot, w.PauseEpoch)
	case err != nil:
		return false, err
	}
	return slot == Dropped, nil
}

// Overflow ends pending delivery d, which its paused webhook's full pause
// queue dropped (TakeHeldSlot answered Dropped, and counted it): failed,
// not sent. When d is pending no more (another copy of its job held it,
// dropped it or moved it on) the drop is not this writer's: it is taken
// back (UncountDrop) and ErrStale returned, nothing written.
func (l Lifecycle) Overflow(ctx context.Context, webhooks WebhookWrites, d *herald.Delivery, now time.Time) error {
	err := l.modifyIf(ctx, d, now, func(d *herald.Delivery) error {
		if d.Status != herald.StatusPending {
			return ErrStale
		}
		stop(d, PauseFullReason, now)
		return nil
	})
	if errors.Is(err, ErrStale) {
		if err := webhooks.UncountDrop(ctx, d.WebhookID); err != nil {
			return err
		}
		return ErrStale
	}
	return err
}

// Reschedule makes pending delivery d due now, its lease cleared: the
// sweep's recovery of a job that was lost or whose worker died. A conflict
// is returned as the store's error (someone else is on it).
func (l Lifecycle) Reschedule(ctx context.Context, d *herald.Delivery, now time.Time) error {
	d.NextAttemptMS, d.LeaseUntilMS = herald.Millis(now), 0
	return l.write(ctx, d, now)
}

// Defer moves pending delivery d's next attempt to due (its webhook is at
// its in-flight cap), so that the sweep does not take the waiting delivery
// for a lost one. A conflict is returned as the store's error: another copy
// of the job, or a worker, moved it on.
func (l Lifecycle) Defer(ctx context.Context, d *herald.Delivery, due, now time.Time) error {
	d.NextAttemptMS = herald.Millis(due)
	return l.write(ctx, d, now)
}

// Rearm makes d pending and due now — a manual retry (with manual set, the
// attempt is one shot: see Failed), a resumed hold — and enqueues its next
// attempt. When d changed meanwhile it returns the store's conflict
// (Conflict reports it) and enqueues nothing.
func (l Lifecycle) Rearm(ctx context.Context, enq Enqueuer, d *herald.Delivery, manual bool, now time.Time) error {
	if manual {
		d.ManualAttempt = d.AttemptCount + 1
	}
	d.Status, d.NextAttemptMS, d.LeaseUntilMS = herald.StatusPending, herald.Millis(now), 0
	if err := l.write(ctx, d, now); err != nil {
		return fmt.Errorf("re-arm delivery %d: %w", d.ID, err)
	}
	return enq.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}, now)
}

// GiveUpHeld gives up held delivery d, read whole, after it was held longer
// than the hold limit: failed and dropped, with a "not sent: reason"
// attempt. announce is called first with d as it will be written and the
// attempt: a failed publish leaves d held for the next try instead of given
// up unannounced. It reports false, with no error, when d changed meanwhile
// (resumed).
func (l Lifecycle) GiveUpHeld(ctx context.Context, d *herald.Delivery, reason string, now time.Time,
	announce func(final *herald.Delivery, last herald.Attempt) error) (bool, error) {
	d.AttemptCount++ // the "not sent" record takes the number
	last := herald.Attempt{Attempt: d.AttemptCount, AtMS: herald.Millis(now), Error: "not sent: " + reason}
	d.Attempts = append(d.Attempts, last)
	d.Status, d.DroppedMS, d.NextAttemptMS = herald.StatusFailed, herald.Millis(now), 0
	d.UpdatedMS = herald.Millis(now)
	d.Derive(now, l.Retention)
	if err := announce(d, last); err != nil {
		return false, err
	}
	if err := l.Deliveries.Replace(ctx, d); err != nil {
		if Conflict(err) {
			return false, nil
		}
		return false, fmt.Errorf("give up held delivery %d: %w", d.ID, err)
	}
	return true, nil
}

// write stamps d's update time and indexed fields and replaces it with its
// revision.
func (l Lifecycle) write(ctx context.Context, d *herald.Delivery, now time.Time) error {
	d.UpdatedMS = herald.Millis(now)
	d.Derive(now, l.Retention)
	return l.Deliveries.Replace(ctx, d)
}

// modify applies change to d and writes it; when d changed in between it
// reads d again and re-applies change (see Modify).
func (l Lifecycle) modify(ctx context.Context, d *herald.Delivery, now time.Time, change func(*herald.Delivery)) error {
	return l.modifyIf(ctx, d, now, func(d *herald.Delivery) error { change(d); return nil })
}

// modifyIf is modify with a change that may refuse (ErrStale), returned
// as is with nothing written.
func (l Lifecycle) modifyIf(ctx context.Context, d *herald.Delivery, now time.Time, change func(*herald.Delivery) error) error {
	id := d.ID
	err := Modify(ctx, l.Deliveries, d, func() *herald.Delivery { return &herald.Delivery{ID: id} },
		func(d *herald.Delivery) error {
			if err := change(d); err != nil {
				return err
			}
			d.UpdatedMS = herald.Millis(now)
			d.Derive(now, l.Retention)
			return nil
		})
	if errors.Is(err, ErrStale) {
		return ErrStale
	}
	if err != nil {
		return fmt.Errorf("update delivery %d: %w", id, err)
	}
	return nil
}

// withAttempt returns attempts with a added, unless an attempt of its number
// is there already.
func withAttempt(attempts []herald.Attempt, a herald.Attempt) []herald.Attempt {
	for _, x := range attempts {
		if x.Attempt == a.Attempt {
			return attempts
		}
	}
	return append(slices.Clip(attempts), a)
}

func hasAttempt(d *herald.Delivery, n int) bool {
	return slices.ContainsFunc(d.Attempts, func(a herald.Attempt) bool { return a.Attempt == n })
}
