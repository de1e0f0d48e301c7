package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// RetryKind says what an admin's retry made of a delivery (see
// Lifecycle.Retry); the admin API answers it as "retry".
type RetryKind string

// What a retry does, by the delivery's status.
const (
	// NextAttemptNow: a pending delivery's next attempt is made now; it
	// keeps its number and the rest of the retry schedule follows it.
	NextAttemptNow RetryKind = "next_attempt_now"
	// ManualAttempt: a failed delivery gets one more attempt, one shot (see
	// Failed).
	ManualAttempt RetryKind = "manual_attempt"
	// ForcedResend: a succeeded delivery is sent again on request, one shot,
	// recorded as a new attempt.
	ForcedResend RetryKind = "forced_resend"
)

// Why a retry is refused.
var (
	// ErrAttemptInFlight: an attempt is claimed and its result not recorded
	// yet.
	ErrAttemptInFlight = errors.New("an attempt of this delivery is in flight")
	// ErrHeld: the delivery is held while its webhook is paused.
	ErrHeld = errors.New("the delivery is held while its webhook is paused")
	// ErrSucceeded: the delivery succeeded and the retry does not force a
	// resend. Automatic delivery never sends a recorded success again.
	ErrSucceeded = errors.New("the delivery succeeded already")
)

// Retry is an admin's retry of delivery d: on a pending one its next
// attempt (number AttemptCount+1; the first when its preclaim ran out
// untaken, see Lifecycle.Preclaims) is made due now and enqueued — the job
// already scheduled for that number then finds it claimed and does nothing,
// and the attempt after it follows the webhook's schedule; a failed one, or
// a succeeded one when force is set, is re-armed for one manual attempt
// (see Rearm). It refuses (ErrAttemptInFlight, ErrHeld, ErrSucceeded)
// without writing. When d changed meanwhile it returns the store's conflict
// (Conflict reports it) and enqueues nothing.
func (l Lifecycle) Retry(ctx context.Context, enq Enqueuer, d *herald.Delivery, force bool, now time.Time) (RetryKind, error) {
	switch {
	case d.LeaseUntilMS > herald.Millis(now):
		return "", ErrAttemptInFlight
	case d.Status == herald.StatusPaused:
		return "", ErrHeld
	case d.Status == herald.StatusSucceeded && !force:
		return "", ErrSucceeded
	case d.Status == herald.StatusPending:
		// A preclaim whose lease ran out with no job having taken it
		// (the job waits in a backlog): the attempt was never made, so
		// the retry makes it as the first, as the sweep would.
		untaken := l.Preclaims.Undo(d)
		d.NextAttemptMS = herald.Millis(now)
		if err := l.write(ctx, d, now); err != nil {
			if untaken != nil {
				l.Preclaims.Put(untaken)
			}
			return "", fmt.Errorf("make delivery %d due now: %w", d.ID, err)
		}
		return NextAttemptNow, enq.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}, now)
	}
	kind := ManualAttempt
	if d.Status == herald.StatusSucceeded {
		kind = ForcedResend
	}
	return kind, l.Rearm(ctx, enq, d, true, now)
}
