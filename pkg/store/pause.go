package store

import (
	"context"
	"errors"
	"fmt"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// Fields of a webhook's pause: which pause it is (when it began, and its
// number), and whether its overflow was announced.
const (
	fieldPausedAtMS            = "paused_at_ms"
	fieldPauseOverflowNotified = "pause_overflow_notified"
	fieldPauseEpoch            = "pause_epoch"
)

// pauseMods are the field updates of SetPaused of w beyond paused itself: a
// new pause is named by atMS and numbered after w's last, neither a new
// pause nor a resume has had its overflow announced, and both start with no
// slot of the pause queue taken (a resume releases every held delivery).
func pauseMods(w *herald.Webhook, paused bool, atMS int64) docstore.Mods {
	mods := docstore.Mods{fieldPauseOverflowNotified: false, fieldPausedAtMS: int64(0), fieldPauseHeld: 0}
	if paused {
		mods[fieldPausedAtMS], mods[fieldPauseEpoch] = atMS, w.PauseEpoch+1
	}
	return mods
}

// PauseFullReason is why a delivery of a paused webhook whose pause queue
// is full is not sent.
const PauseFullReason = "the webhook is paused and its pause queue is full"

// Slot is what TakeHeldSlot made of a delivery for a paused webhook.
type Slot int

const (
	// NotPaused: the webhook is no longer paused (or is gone); nothing was
	// taken, and the delivery goes out at once.
	NotPaused Slot = iota
	// Held: a slot of the pause queue was taken for the delivery, which is
	// held.
	Held
	// Dropped: the queue was full; the delivery is dropped and was counted
	// in pause_dropped.
	Dropped
)

// slotTries bounds the revision-checked writes of one slot: each conflict
// is another delivery's slot (or drop) written first, so it takes a burst
// of that many deliveries for one webhook at once to exhaust them.
const slotTries = 100

// TakeHeldSlot decides whether a delivery for paused webhook id is held or
// dropped, and records it, in one revision-checked write of the webhook as
// it is: while fewer than its pause limit are held (pause_held), it takes a
// slot (Held); past that it counts the drop in pause_dropped (Dropped). So
// however many writers hold deliveries at once, in however many processes,
// no more than the limit are held.
//
// The caller then writes the delivery: held, recording the pause the slot
// is of (the returned webhook's PauseEpoch), or failed as not sent
// (NewDelivery, Overflow). A delivery is written once under its id, which
// derives from its event and webhook: a writer that finds it written by
// another first (another copy of its event, or of its job) gives back what
// it took (GiveBack), so each delivery holds one slot or counts one drop.
// A held one is then settled (Lifecycle.Settle: a resume and a new pause
// meanwhile started the queue again without its slot). A crash between
// this write and the delivery's leaves the slot taken until the pause ends
// (SetPaused starts each pause and resume with none), the queue holding one
// fewer, or the drop counted with no delivery kept, which a copy of the
// event then counts again. It returns the webhook as written (nil when
// gone).
func (s WebhookWrites) TakeHeldSlot(ctx context.Context, id string) (Slot, *herald.Webhook, error) {
	for try := 1; ; try++ {
		w, err := s.Get(ctx, id)
		switch {
		case errors.Is(err, herald.ErrNotFound):
			return NotPaused, nil, nil
		case err != nil:
			return 0, nil, err
		case !w.Paused:
			return NotPaused, w, nil
		}
		slot, mods := Held, docstore.Mods{fieldPauseHeld: w.PauseHeld + 1}
		if w.PauseHeld >= int64(w.PauseLimit()) {
			slot, mods = Dropped, docstore.Mods{fieldPauseDropped: w.PauseDropped + 1}
		}
		err = s.update(ctx, w, mods)
		switch {
		case err == nil:
			if slot == Held {
				w.PauseHeld++
			} else {
				w.PauseDropped++
			}
			return slot, w, nil
		case NotFound(err):
			return NotPaused, nil, nil
		case !Conflict(err) || try == slotTries:
			return 0, nil, fmt.Errorf("take a pause queue slot of webhook %s: %w", id, err)
		}
	}
}

// FreeHeldSlot gives back a slot of pause epoch of paused webhook id's
// pause queue: its delivery was made by another writer, or is held no more
// (given up). A revision-checked write, like TakeHeldSlot's; a webhook not
// paused or in another pause (its slots started again at 0) or gone is left
// alone.
func (s WebhookWrites) FreeHeldSlot(ctx context.Context, id string, epoch int64) error {
	for try := 1; ; try++ {
		w, err := s.Get(ctx, id)
		switch {
		case errors.Is(err, herald.ErrNotFound):
			return nil
		case err != nil:
			return err
		case !w.Paused || w.PauseEpoch != epoch || w.PauseHeld <= 0:
			return nil
		}
		err = s.update(ctx, w, docstore.Mods{fieldPauseHeld: w.PauseHeld - 1})
		switch {
		case err == nil || NotFound(err):
			return nil
		case !Conflict(err) || try == slotTries:
			return fmt.Errorf("free a pause queue slot of webhook %s: %w", id, err)
		}
	}
}

// UncountDrop takes back a drop TakeHeldSlot counted in webhook id's
// pause_dropped that turned out not to be the caller's: another writer kept
// the same delivery first (another copy of its event, or of its job), with
// its own slot or drop. A decrement with no revision check: the counter
// only adds up, whatever the webhook's pause. A webhook gone is left alone.
func (s WebhookWrites) UncountDrop(ctx context.Context, id string) error {
	return s.counter(ctx, id, docstore.Mods{fieldPauseDropped: docstore.Increment(-1)})
}

// GiveBack gives back what TakeHeldSlot made of a delivery of webhook id
// that another writer kept first, under its own slot or drop: a slot of
// pause epoch (FreeHeldSlot), or a drop (UncountDrop).
func (s WebhookWrites) GiveBack(ctx context.Context, id string, slot Slot, epoch int64) error {
	switch slot {
	case Held:
		return s.FreeHeldSlot(ctx, id, epoch)
	case Dropped:
		return s.UncountDrop(ctx, id)
	}
	return nil
}

// MarkPauseOverflow records that the overflow of w's pause (as written by
// TakeHeldSlot) was announced, if w is still in that pause: a
// revision-checked field update, so a resume or a new pause meanwhile is
// never marked. Overflowing deliveries bump pause_dropped (and held ones
// pause_held) and so move the revision on; on a conflict the webhook is read again and the mark tried
// again while it is the same pause. After ModifyTries conflicts it gives
// up quietly: the next overflow announces again, with the same event_id.
func (s WebhookWrites) MarkPauseOverflow(ctx context.Context, w *herald.Webhook) error {
	pause := w.PausedAtMS
	return s.markWhile(ctx, w, docstore.Mods{fieldPauseOverflowNotified: true}, ModifyTries, "pause overflow announced",
		func(w *herald.Webhook) bool {
			return w.Paused && w.PausedAtMS == pause && !w.PauseOverflowNotified // the same pause, unmarked
		})
}
