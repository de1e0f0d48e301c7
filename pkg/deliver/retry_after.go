package deliver

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfter parses a Retry-After header value: delta-seconds ("120") or an
// HTTP-date, read against now. It returns false for an empty or invalid
// value; a time in the past is returned as now. It does not cap the time: the
// retry policy does (see maxRetryAfter).
func RetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}, false
		}
		// Far beyond any cap: clamp before the multiplication can overflow.
		secs = min(secs, int64(10*maxRetryAfter/time.Second))
		return now.Add(time.Duration(secs) * time.Second), true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, false
	}
	if at.Before(now) {
		return now, true
	}
	return at, true
}

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
