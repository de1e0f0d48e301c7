package outbound

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfterClamp bounds a delta-seconds value before it becomes a
// Duration, far beyond any cap a retry policy sets, so that it cannot
// overflow.
const retryAfterClamp = 240 * time.Hour

// RetryAfter parses a Retry-After header value: delta-seconds ("120") or an
// HTTP-date, read against now. It returns false for an empty or invalid
// value; a time in the past is returned as now. It does not cap the time: the
// retry policy does.
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
		secs = min(secs, int64(retryAfterClamp/time.Second))
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
