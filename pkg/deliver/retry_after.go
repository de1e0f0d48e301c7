package deliver

import (
	"time"
)

// maxRetryAfter caps how far a receiver's Retry-After can push the next
// attempt: 24 hours, the longest step of the default schedule. A receiver
// asking for more (or a misconfigured "Retry-After: 31536000") would otherwise
// park the delivery for a year; past the cap the schedule goes on as usual.
const maxRetryAfter = 24 * time.Hour

// nextAttempt returns when the next attempt is due after a failed attempt
// that ended at now: the backoff step, or the receiver's Retry-After
// (retryAfterMS, 0 for none) when that is later, capped at maxRetryAfter.
func nextAttempt(now time.Time, step time.Duration, retryAfterMS int64) time.Time {
	next := now.Add(step)
	if retryAfterMS == 0 {
		return next
	}
	hint := time.UnixMilli(retryAfterMS).UTC()
	if limit := now.Add(maxRetryAfter); hint.After(limit) {
		hint = limit
	}
	if hint.After(next) {
		return hint
	}
	return next
}
