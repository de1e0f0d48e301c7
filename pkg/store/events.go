package store

import (
	"context"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// HolderFields: what the fan-out reads of the delivery holding an id it
// meant to create, to tell whether it is the same event's delivery to the
// same webhook and whether it still waits for its first attempt.
var HolderFields = paths(fieldWebhookID, fieldEventID, fieldEventKey, fieldStatus, fieldAttempts)

// MarkFannedOut records that stored event ev has a delivery for every
// matching webhook, so that a duplicate of its message creates none. The
// update carries ev's revision when it has one.
func MarkFannedOut(ctx context.Context, events *docstore.Collection, ev *herald.Event) error {
	ev.FannedOut = true
	return events.Update(ctx, ev, docstore.Mods{fieldFannedOut: true})
}

// ReleaseFanOutLease ends the fan-out lease ev's handler holds, after its
// fan-out failed, so that the redelivered message resumes the fan-out at
// once rather than wait out the lease.
func ReleaseFanOutLease(ctx context.Context, events *docstore.Collection, ev *herald.Event) error {
	return events.Update(ctx, ev, docstore.Mods{fieldFanOutLeaseMS: int64(0)})
}
