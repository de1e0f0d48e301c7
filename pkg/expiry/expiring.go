package expiry

import (
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// reachedThreshold returns the smallest of herald.SecretExpiryThresholds that
// now has reached before expires, if any.
func reachedThreshold(now, expires time.Time) (time.Duration, bool) {
	var smallest time.Duration
	for _, t := range herald.SecretExpiryThresholds {
		if !now.Before(expires.Add(-t)) && (smallest == 0 || t < smallest) {
			smallest = t
		}
	}
	return smallest, smallest > 0
}

// expiringThreshold returns the threshold the expiring event for h
// announces, when h's secret has an expiry and has reached a threshold not
// yet announced. Only the smallest threshold reached fires, so a notifier
// that was down across several sends one event.
func expiringThreshold(h *holder, now time.Time) (time.Duration, bool) {
	if h.expiresMS <= 0 {
		return 0, false
	}
	t, ok := reachedThreshold(now, herald.FromMillis(h.expiresMS))
	if !ok || (*h.notified != 0 && *h.notified <= t) {
		return 0, false
	}
	return t, true
}
