package herald

import (
	"strings"
	"time"
)

// Event is an ingested event as stored in the events collection. Payload is the
// envelope exactly as it will be delivered.
type Event struct {
	// DocstoreRevision comes first: memdocstore looks it up on every write
	// with a linear search that allocates a copy of each field it passes.
	DocstoreRevision any

	// ID is the event's key: EventKey of its event_id, tenant_id and
	// partner_id.
	ID string `docstore:"id"`
	// EventID is the event_id as published (see PublishedID).
	EventID   string `docstore:"event_id,omitempty"`
	Type      string `docstore:"event_type"`
	TenantID  string `docstore:"tenant_id"`
	PartnerID string `docstore:"partner_id"`
	Category  string `docstore:"category"`
	Payload   string `docstore:"payload"`
	// InsertedBytes is how many bytes Herald inserted into Payload right
	// after its opening '{' (a generated event_id and timestamp, the type
	// of a native payload, a bound publisher's scope); 0 when none. Cutting
	// them out gives the bytes the publisher sent (see Body).
	InsertedBytes int `docstore:"inserted_bytes,omitempty"`

	// FannedOut is set once a delivery exists for every matching webhook, so
	// a redelivered ingest message finishes an interrupted fan-out and a
	// repeated event_id creates nothing.
	FannedOut bool `docstore:"fanned_out"`
	// FanOutLeaseMS is when the fan-out in progress counts as abandoned. A
	// duplicate message that finds the lease live leaves the fan-out to its
	// holder instead of creating deliveries alongside it.
	FanOutLeaseMS int64 `docstore:"fan_out_lease_ms"`
	// FanOutOwner names the ingest handler holding the lease (random per
	// process), so a process that owns its store alone knows a lease of
	// another owner for one left by a process that is gone.
	FanOutOwner string `docstore:"fan_out_owner"`

	CreatedMS int64 `docstore:"created_ms"`
	// ExpiresAt is when the event may be deleted, in Unix seconds (the
	// unit of DynamoDB's TTL attribute): its ingest plus the retention.
	ExpiresAt int64 `docstore:"expires_at,omitempty"`
}

// Body returns what a webhook whose payload format is format receives:
// Payload, or for PayloadAsPublished the bytes the publisher sent, without
// what Herald inserted.
func (e *Event) Body(format string) []byte {
	if format != PayloadAsPublished {
		return []byte(e.Payload)
	}
	return []byte(CutInserted(e.Payload, e.InsertedBytes))
}

// CutInserted returns payload, an envelope as Herald delivers it, without
// the n bytes Herald inserted after its opening '{' (see
// Event.InsertedBytes): the bytes its publisher sent. An n of 0, or one that
// does not fit payload, returns payload as it is.
func CutInserted(payload string, n int) string {
	open := strings.IndexByte(payload, '{')
	if n <= 0 || open < 0 || open+1+n > len(payload) {
		return payload
	}
	return payload[:open+1] + payload[open+1+n:]
}

// Herald's own event types.
const (
	EventDeliveryDropped = "webhook.delivery.dropped"
	EventTest            = "webhook.test"
	EventValidation      = "webhook.validation"

	// Audit events (category ADMIN): changes made through the admin API.
	EventEndpointCreated    = "webhook.endpoint.created"
	EventEndpointUpdated    = "webhook.endpoint.updated"
	EventEndpointDeleted    = "webhook.endpoint.deleted"
	EventEndpointPaused     = "webhook.endpoint.paused"
	EventEndpointResumed    = "webhook.endpoint.resumed"
	EventSecretRotated      = "webhook.secret.rotated"
	EventApplicationCreated = "application.created"
	EventApplicationDeleted = "application.deleted"
	EventApplicationUpdated = "application.updated"
	EventAppSecretRotated   = "application.secret.rotated"

	// Endpoint health events (category SECURITY), from the deliver function.
	EventEndpointUnhealthy = "webhook.endpoint.unhealthy"
	EventEndpointRecovered = "webhook.endpoint.recovered"
	EventEndpointDisabled  = "webhook.endpoint.disabled"

	// EventEndpointValidationFailed (category SECURITY), from the
	// re-validation of an endpoint (periodic, or after its URL changed):
	// once per run of failed validations.
	EventEndpointValidationFailed = "webhook.endpoint.validation_failed"

	// EventPauseOverflow (category SECURITY), from ingest: a paused
	// webhook's hold queue is full and deliveries are being dropped; once
	// per pause.
	EventPauseOverflow = "webhook.endpoint.pause_overflow"

	// Secret lifecycle events (category SECURITY), from the expiry-notifier.
	EventSecretExpiring      = "webhook.secret.expiring"
	EventSecretGraceEnded    = "webhook.secret.grace_ended"
	EventAppSecretExpiring   = "application.secret.expiring"
	EventAppSecretGraceEnded = "application.secret.grace_ended"
)

// OwnEventPrefix marks Herald's own event types; application.* are Herald's
// too (see IsOwnEvent). A failure delivering one of them never emits another
// event, so there is no feedback loop.
const OwnEventPrefix = "webhook."

// DefaultMaxEventBytes is the largest accepted event envelope unless the
// deployment says otherwise (HERALD_MAX_EVENT_BYTES): 256 KiB.
const DefaultMaxEventBytes = 256 << 10

// ownPrefixes are the prefixes of every event type Herald emits itself.
var ownPrefixes = []string{OwnEventPrefix, "application."}

// IsOwnEvent reports whether eventType is reserved for Herald's own events:
// publishers may not send it, and failing to deliver it emits nothing.
func IsOwnEvent(eventType string) bool {
	for _, p := range ownPrefixes {
		if strings.HasPrefix(eventType, p) {
			return true
		}
	}
	return false
}

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
