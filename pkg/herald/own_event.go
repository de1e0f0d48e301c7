package herald

import (
	"encoding/json"
	"time"
)

// OwnEvent is an event Herald emits itself (webhook.delivery.dropped, …). It is
// published to the ingest topic so admins subscribe to it like any other.
type OwnEvent struct {
	EventID    string    `json:"event_id"`
	EventType  string    `json:"event_type"`
	Timestamp  time.Time `json:"timestamp"`
	Category   string    `json:"category,omitempty"`
	TenantID   string    `json:"tenant_id,omitempty"`
	PartnerID  string    `json:"partner_id,omitempty"`
	IdentityID string    `json:"identity_id"`
	Data       any       `json:"data"`
}

// HeraldIdentity is the identity_id of Herald's own events.
const HeraldIdentity = "system:herald"

// Encode returns the event's envelope.
func (e OwnEvent) Encode() ([]byte, error) {
	if e.IdentityID == "" {
		e.IdentityID = HeraldIdentity
	}
	e.Timestamp = e.Timestamp.UTC()
	return json.Marshal(e)
}
