package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// Recovery is a webhook's recovery in progress (the admin API's POST
// …/recover): its failed deliveries created in a window are attempted
// again, oldest first, no more than MaxInFlight of them at a time.
//
// It is a document of the schedule collection, sharded into the due-time
// index as an Entry is, so the retry-scheduler finds it when it falls due —
// after a restart as well: each pass releases the next batch, moves Cursor
// and DueMS on and writes the record with its revision, until the window is
// done and the record deleted. The collection every deployment already
// reads in due order needs no index of its own for it, and a crash between
// passes loses nothing but the pass.
type Recovery struct {
	ID        string `docstore:"id"`
	DueShard  int    `docstore:"due_shard,omitempty"`
	DueMS     int64  `docstore:"due_ms"`
	WebhookID string `docstore:"webhook_id"`
	// Cursor is the id of the last delivery a pass looked at: the next
	// reads the webhook's deliveries after it. It starts just before the
	// window.
	Cursor int64 `docstore:"cursor"`
	// UntilID is the last delivery id of the window.
	UntilID int64 `docstore:"until_id"`
	// MaxInFlight is the webhook's in-flight cap when the recovery began:
	// how many of its released deliveries may be pending at once.
	MaxInFlight int `docstore:"max_in_flight"`
	// InFlight are the deliveries released and still pending at the last
	// pass.
	InFlight []int64 `docstore:"in_flight"`
	// Released counts the deliveries released so far.
	Released  int   `docstore:"released"`
	CreatedMS int64 `docstore:"created_ms"`

	DocstoreRevision any
}

const recoveryPrefix = "recovery-"

// ErrRecovering: a recovery of the webhook is in progress already.
var ErrRecovering = errors.New("a recovery of this webhook is in progress")

// StartRecovery writes the recovery of webhook webhookID's failed
// deliveries created from since to until (inclusive, to the millisecond),
// due at now, at most maxInFlight pending at once. It returns
// ErrRecovering when one is in progress.
func StartRecovery(ctx context.Context, schedule *docstore.Collection, webhookID string, since, until time.Time,
	maxInFlight int, now time.Time) (*Recovery, error) {
	id := recoveryPrefix + webhookID
	after, last := WindowIDs(since, until)
	rec := &Recovery{ID: id, DueShard: herald.Shard(id), DueMS: herald.Millis(now), WebhookID: webhookID,
		Cursor: after, UntilID: last, MaxInFlight: maxInFlight, CreatedMS: herald.Millis(now)}
	switch err := schedule.Create(ctx, rec); {
	case AlreadyExists(err):
		return nil, ErrRecovering
	case err != nil:
		return nil, fmt.Errorf("write recovery of %s: %w", webhookID, err)
	}
	return rec, nil
}

// WindowIDs returns the delivery ids of the deliveries created from since
// to until (inclusive, to the millisecond): those after after, up to last.
func WindowIDs(since, until time.Time) (after, last int64) {
	return herald.DeliveryIDAt(since) - 1, herald.DeliveryIDAt(until.Add(time.Millisecond)) - 1
}

// IsRecovery reports whether the due-time index entry e is a Recovery's
// (read it whole by its id), not a deliver job's.
func (e *Entry) IsRecovery() bool { return strings.HasPrefix(e.ID, recoveryPrefix) }

// StatusFields: a delivery's id and status, as the by-webhook index holds
// them.
var StatusFields = paths(fieldID, fieldStatus)

// WebhookDeliveriesAfter queries webhook id's deliveries with ids after
// after, oldest first: a recovery's scan of its window, which stops at the
// window's end itself. It reads every status and leaves the failed ones to
// the caller, so that it always knows how far it has read. Read
// StatusFields.
func WebhookDeliveriesAfter(deliveries *docstore.Collection, webhookID string, after int64) *docstore.Query {
	return deliveries.Query().
		Where(fieldWebhookID, "=", webhookID).
		Where(fieldID, ">", after).
		OrderBy(fieldID, docstore.Ascending)
}

// FailedInWindow counts webhook id's failed deliveries with ids after after
// and up to last (see WindowIDs), reading the by-webhook index only.
func FailedInWindow(ctx context.Context, deliveries *docstore.Collection, webhookID string, after, last int64) (int, error) {
	n := 0
	for d, err := range Docs[herald.Delivery](ctx, WebhookDeliveriesAfter(deliveries, webhookID, after).Get(ctx, StatusFields...)) {
		if err != nil {
			return 0, fmt.Errorf("count failed deliveries of %s: %w", webhookID, err)
		}
		if d.ID > last {
			break
		}
		if d.Status == herald.StatusFailed {
			n++
		}
	}
	return n, nil
}
