package store

import (
	"context"
	"fmt"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// Fields of a webhook's pause: which pause it is, and whether its overflow
// was announced.
const (
	fieldPausedAtMS            = "paused_at_ms"
	fieldPauseOverflowNotified = "pause_overflow_notified"
)

// pauseMods are the field updates of SetPaused beyond paused itself: a new
// pause is named by atMS, and neither a new pause nor a resume has had its
// overflow announced.
func pauseMods(paused bool, atMS int64) docstore.Mods {
	if !paused {
		atMS = 0
	}
	return docstore.Mods{fieldPauseOverflowNotified: false, fieldPausedAtMS: atMS}
}

// PauseOverflowDue reads webhook id and returns it when the overflow of its
// current pause is still to be announced: it is paused and not marked
// (MarkPauseOverflow). nil when it is not, or is gone.
func (s WebhookWrites) PauseOverflowDue(ctx context.Context, id string) (*herald.Webhook, error) {
	w := &herald.Webhook{ID: id}
	if err := s.Coll.Get(ctx, w); err != nil {
		if NotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("read webhook %s: %w", id, err)
	}
	if !w.Paused || w.PauseOverflowNotified {
		return nil, nil
	}
	return w, nil
}

// MarkPauseOverflow records that the overflow of w's pause (as read, by
// PauseOverflowDue) was announced, if w is still in that pause: a
// revision-checked field update, so a resume or a new pause meanwhile is
// never marked. Overflowing deliveries bump pause_dropped and so move the
// revision on; on a conflict the webhook is read again and the mark tried
// again while it is the same pause. After ModifyTries conflicts it gives
// up quietly: the next overflow announces again, with the same event_id.
func (s WebhookWrites) MarkPauseOverflow(ctx context.Context, w *herald.Webhook) error {
	pause := w.PausedAtMS
	return s.markWhile(ctx, w, docstore.Mods{fieldPauseOverflowNotified: true}, ModifyTries, "pause overflow announced",
		func(w *herald.Webhook) bool {
			return w.Paused && w.PausedAtMS == pause && !w.PauseOverflowNotified // the same pause, unmarked
		})
}
