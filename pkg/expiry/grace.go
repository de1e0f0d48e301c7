package expiry

import (
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// graceOver reports whether the secret a rotation replaced is still kept
// in h and its grace period is over, and when that period ended (what the
// grace_ended event is announced under).
func graceOver(h *holder, now time.Time) (untilMS int64, due bool) {
	until := *h.previousUntilMS
	if *h.previous == "" || until > herald.Millis(now) {
		return 0, false
	}
	return until, true
}
