package herald

import "time"

// Event is an ingested event as stored in the events collection. Payload is the
// envelope exactly as it will be delivered.
type Event struct {
	ID        string `docstore:"id"`
	Type      string `docstore:"event_type"`
	TenantID  string `docstore:"tenant_id"`
	PartnerID string `docstore:"partner_id"`
	Category  string `docstore:"category"`
	Payload   string `docstore:"payload"`

	// FannedOut is set once a delivery exists for every matching webhook, so
	// a redelivered ingest message finishes an interrupted fan-out and a
	// repeated event_id creates nothing.
	FannedOut bool `docstore:"fanned_out"`
	// FanOutLeaseMS is when the fan-out in progress counts as abandoned. A
	// duplicate message that finds the lease live leaves the fan-out to its
	// holder instead of creating deliveries alongside it.
	FanOutLeaseMS int64 `docstore:"fan_out_lease_ms"`

	CreatedMS int64 `docstore:"created_ms"`

	DocstoreRevision any
}

// Herald's own event types.
const (
	EventDeliveryDropped = "webhook.delivery.dropped"
	EventTest            = "webhook.test"
	EventValidation      = "webhook.validation"
)

// OwnEventPrefix marks Herald's own event types. A failure delivering one of
// them never emits another event, so there is no feedback loop.
const OwnEventPrefix = "webhook."

// Millis converts t to Unix milliseconds, the stored form of compared times.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// FromMillis converts stored Unix milliseconds back to a UTC time; zero stays
// the zero time.
func FromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
