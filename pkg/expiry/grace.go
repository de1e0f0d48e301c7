package expiry

import (
	"strconv"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// graceEndedEvent returns the grace_ended event for h when the secret a
// rotation replaced is still kept and its grace period is over. Its event_id
// is derived from h's id and the end of the grace period, so a repeat is
// delivered once and a later rotation announces its own end. The event never
// carries the secret or its hash.
func graceEndedEvent(h *holder, now time.Time) (herald.OwnEvent, bool) {
	until := *h.previousUntilMS
	if *h.previous == "" || until > herald.Millis(now) {
		return herald.OwnEvent{}, false
	}
	return herald.OwnEvent{
		EventID:   h.kind.idPrefix + "grace_" + h.id + "_" + strconv.FormatInt(until, 10),
		EventType: h.kind.graceEnded,
		Timestamp: now,
		Category:  "SECURITY",
		TenantID:  h.scope[0],
		PartnerID: h.scope[1],
		Data: map[string]any{
			h.kind.idKey:                 h.id,
			h.kind.graceNameKey:          h.name,
			"previous_secret_expired_at": herald.FromMillis(until).Format(time.RFC3339),
		},
	}, true
}
