package store

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// A Table is an in-process copy of the webhooks that must hear of every
// write of one; *cache.Webhooks is one. Its methods must accept a nil
// receiver of its concrete type (a process without a table).
type Table interface {
	// Changed says webhook id was written, whatever the write's outcome.
	Changed(id string)
	// Writing runs write, a field update the store may apply in place,
	// while the table's reads of the whole collection wait.
	Writing(write func() error) error
}

// WebhookWrites writes webhooks and tells those who copy them: the table of
// this process (Table) and, for writes that change what a table serves,
// the tables of other processes (Revision). Every write of a webhook goes
// through it.
type WebhookWrites struct {
	Coll *docstore.Collection
	// Table is this process's table; nil for none.
	Table Table
	// Revision is bumped after each write a table serves; nil for none.
	Revision *Revision
	// Logger hears of a bump that failed after its write succeeded.
	Logger *slog.Logger

	// raced, when set, runs between SetPaused's read of the webhook and
	// its write: a test's other writers.
	raced func()
	// releasing, when set, runs between Lifecycle.Settle's read of the
	// webhook and its release of a held delivery: a test's pause meanwhile.
	releasing func()
}

// Get reads webhook id whole: herald.ErrNotFound when it is not there.
func (s WebhookWrites) Get(ctx context.Context, id string) (*herald.Webhook, error) {
	w := &herald.Webhook{ID: id}
	if err := s.Coll.Get(ctx, w); err != nil {
		if NotFound(err) {
			return nil, herald.ErrNotFound
		}
		return nil, fmt.Errorf("read webhook %s: %w", id, err)
	}
	return w, nil
}

// Create writes new webhook w (AlreadyExists when its id is taken).
func (s WebhookWrites) Create(ctx context.Context, w *herald.Webhook) error {
	w.Derive()
	err := s.Coll.Create(ctx, w)
	s.written(ctx, w.ID, err)
	return err
}

// Save applies change to w, read earlier with its revision, and replaces it
// (see Modify): the deliver function keeps a failing endpoint's health with
// field updates, each of which moves the revision on, so a conflict is
// usually not the caller's and the change is re-applied to the webhook read
// again. change may refuse with an error, returned as is.
func (s WebhookWrites) Save(ctx context.Context, w *herald.Webhook, change func(*herald.Webhook) error) error {
	id := w.ID
	err := Modify(ctx, s.Coll, w, func() *herald.Webhook { return &herald.Webhook{ID: id} },
		func(w *herald.Webhook) error {
			if err := change(w); err != nil {
				return err
			}
			w.Derive()
			return nil
		})
	if NotFound(err) {
		err = herald.ErrNotFound
	}
	s.written(ctx, id, err)
	return err
}

// Replace writes w whole with the revision it was read with (a conflict
// when it changed meanwhile), its secret-duty fields set from the rest.
func (s WebhookWrites) Replace(ctx context.Context, w *herald.Webhook) error {
	w.Derive()
	err := s.Coll.Replace(ctx, w)
	s.written(ctx, w.ID, err)
	return err
}

// Delete deletes webhook id; a webhook already gone is not an error.
func (s WebhookWrites) Delete(ctx context.Context, id string) error {
	err := s.Coll.Delete(ctx, &herald.Webhook{ID: id})
	if NotFound(err) {
		err = nil
	}
	s.written(ctx, id, err)
	return err
}

// SetPaused pauses or resumes webhook id, as of at (herald.ErrNotFound
// when it is gone). Setting the state it has writes nothing: a second pause
// racing the first does not start the queue again, freeing the slots taken
// meanwhile. A pause is named by at and numbered after the last, and its
// overflow is yet to be announced (see pauseMods).
//
// Neither fails for a webhook being written by others meanwhile: a paused
// webhook whose queue overflows has its pause_dropped counter written by
// every event, and a failing endpoint its health by every attempt.
//   - A resume writes the same fields whatever the webhook holds besides
//     paused, so it is a field update without a revision check: one write,
//     which no other write can fail. (A resume racing a resume writes the
//     same; one after a pause that came in between resumes that pause, as
//     a resume sent after it would.)
//   - A pause decides on the webhook as it is (not paused; the next pause
//     number), so it is a revision-checked update of its fields alone, read
//     again and tried again on a conflict, with a growing, jittered pause
//     in between, until it is written or ctx is done (pauseBudget when ctx
//     has no deadline). Drops, the flood above, happen only while paused:
//     what a pause races is attempts' health writes and admin writes.
func (s WebhookWrites) SetPaused(ctx context.Context, id string, paused bool, at time.Time) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, pauseBudget)
		defer cancel()
	}
	for try := 0; ; try++ {
		w, err := s.Get(ctx, id)
		if err != nil || w.Paused == paused {
			return err
		}
		mods := pauseMods(w, paused, herald.Millis(at))
		mods[fieldPaused], mods[fieldUpdatedAt] = paused, at
		if s.raced != nil {
			s.raced()
		}
		if !paused {
			err = s.update(ctx, &herald.Webhook{ID: id}, mods) // no revision: see above
			if Conflict(err) {
				err = herald.ErrNotFound // DynamoDB: the item is gone
			}
		} else {
			err = s.update(ctx, w, mods)
		}
		switch {
		case NotFound(err):
			return herald.ErrNotFound
		case paused && Conflict(err):
			if err := backOff(ctx, try); err != nil {
				return fmt.Errorf("pause webhook %s: %w", id, err)
			}
			continue
		}
		s.written(ctx, id, err)
		return err
	}
}

// pauseBudget bounds a pause's tries when its context has no deadline.
const pauseBudget = 30 * time.Second

// backOff waits before try+1 of a conflicting write: not at all at first,
// then up to a millisecond doubling per try, capped at 16 ms, jittered (so
// that writers who conflicted once do not meet again), or until ctx is
// done (its error returned).
func backOff(ctx context.Context, try int) error {
	if try < 3 {
		return ctx.Err()
	}
	ceiling := time.Millisecond << min(try-3, 4)
	t := time.NewTimer(rand.N(ceiling) + 1)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Disable turns webhook id off for reason, as of at, with a field update
// (no revision check, so it neither fights nor loses to an admin write). A
// webhook deleted meanwhile is left alone. The revision's bump is part of
// the write: a failed one is returned, so the caller's retry bumps again.
func (s WebhookWrites) Disable(ctx context.Context, id, reason string, at time.Time) error {
	mods := docstore.Mods{fieldEnabled: false, fieldDisabledReason: reason, fieldUpdatedAt: at}
	if err := s.counter(ctx, id, mods); err != nil {
		return err
	}
	return s.Revision.Bump(ctx)
}

// markWhile applies mods to w with its revision; on a conflict it reads w
// again and tries again while still(w) holds, up to tries writes in all,
// then gives up quietly. A webhook gone meanwhile is left alone; what names
// the mark in errors.
func (s WebhookWrites) markWhile(ctx context.Context, w *herald.Webhook, mods docstore.Mods, tries int, what string,
	still func(*herald.Webhook) bool) error {
	for try := 1; ; try++ {
		err := s.update(ctx, w, mods)
		switch {
		case err == nil || NotFound(err):
			return nil
		case !Conflict(err):
			return fmt.Errorf("mark webhook %s %s: %w", w.ID, what, err)
		case try == tries:
			return nil
		}
		w = &herald.Webhook{ID: w.ID}
		if err := s.Coll.Get(ctx, w); err != nil {
			if NotFound(err) {
				return nil
			}
			return fmt.Errorf("read webhook %s: %w", w.ID, err)
		}
		if !still(w) {
			return nil
		}
	}
}

// counter applies mods to webhook id without a revision check. A webhook
// deleted meanwhile is left alone: the update fails with NotFound, or on
// DynamoDB with FailedPrecondition (its condition that the item exists;
// with no revision given, nothing else can fail it). Health counters are not
// what other processes' tables serve: they would read every webhook again
// after every failed attempt, so no revision is bumped.
func (s WebhookWrites) counter(ctx context.Context, id string, mods docstore.Mods) error {
	err := s.update(ctx, &herald.Webhook{ID: id}, mods)
	if err != nil && !NotFound(err) && !Conflict(err) {
		return fmt.Errorf("update webhook %s: %w", id, err)
	}
	return nil
}

// update applies mods to w (with w's revision when it has one) while the
// table's scans wait, and tells the table.
func (s WebhookWrites) update(ctx context.Context, w *herald.Webhook, mods docstore.Mods) error {
	write := func() error { return s.Coll.Update(ctx, w, mods) }
	var err error
	if s.Table != nil {
		err = s.Table.Writing(write)
		s.Table.Changed(w.ID)
	} else {
		err = write()
	}
	return err
}

// written tells the table of a write of webhook id, whatever its outcome,
// and bumps the revision when it succeeded. The write is done: a failed bump
// is logged rather than returned (a client retrying a create would create
// the webhook twice), and other processes' tables see the write at the next
// bump.
func (s WebhookWrites) written(ctx context.Context, id string, err error) {
	if s.Table != nil {
		s.Table.Changed(id)
	}
	if err != nil {
		return
	}
	if err := s.Revision.Bump(ctx); err != nil && s.Logger != nil {
		s.Logger.Error("webhooks revision not bumped", "webhook_id", id, "error", err)
	}
}
