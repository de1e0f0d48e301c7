package expiry

import (
	"strconv"
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

// expiringEvent returns the expiring event for h and the threshold it
// announces, when h's secret has an expiry and has reached a threshold not yet
// announced. Only the smallest threshold reached fires, so a notifier that was
// down across several sends one event. Its event_id is derived from h's id,
// the expiry and the threshold: a repeat is delivered once, and a new expiry
// warns afresh. The event never carries the secret or its hash.
func expiringEvent(h *holder, now time.Time) (herald.OwnEvent, time.Duration, bool) {
	if h.expiresMS <= 0 {
		return herald.OwnEvent{}, 0, false
	}
	expires := herald.FromMillis(h.expiresMS)
	t, ok := reachedThreshold(now, expires)
	if !ok || (*h.notified != 0 && *h.notified <= t) {
		return herald.OwnEvent{}, 0, false
	}
	hours := strconv.FormatInt(int64(t/time.Hour), 10)
	return herald.OwnEvent{
		EventID:   h.kind.idPrefix + "expiring_" + h.id + "_" + strconv.FormatInt(h.expiresMS, 10) + "_" + hours + "h",
		EventType: h.kind.expiring,
		Timestamp: now,
		Category:  "SECURITY",
		TenantID:  h.scope[0],
		PartnerID: h.scope[1],
		Data: map[string]any{
			h.kind.idKey: h.id,
			"name":       h.name,
			"expires_at": expires.Format(time.RFC3339),
			"threshold":  thresholdLabel(t),
			"expired":    !now.Before(expires),
		},
	}, t, true
}

// thresholdLabel names a threshold in days ("30d") when it is whole days.
func thresholdLabel(t time.Duration) string {
	if t%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(t/(24*time.Hour)), 10) + "d"
	}
	return t.String()
}
