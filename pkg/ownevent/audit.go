package ownevent

import (
	"context"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// AuditData is the data of every audit event: what changed, and who changed
// it. It never carries a secret.
type AuditData struct {
	// Actor is the subject of the caller's token ("admin", a client_id, …).
	Actor     string `json:"actor"`
	ActorKind string `json:"actor_kind"`
	// Exactly one of these is set.
	WebhookID     string `json:"webhook_id,omitempty"`
	ApplicationID string `json:"application_id,omitempty"`
	Name          string `json:"name,omitempty"`
	// Changed lists the fields a patch changed.
	Changed []string `json:"changed,omitempty"`
}

// PublishAudit publishes an audit event of eventType (category ADMIN),
// scoped to the tenant and partner that own the changed resource, so that
// an admin can subscribe to it like to any event; its identity is the actor.
// It returns the event's id, fresh for each change.
func PublishAudit(ctx context.Context, topic *pubsub.Topic, eventType, tenantID, partnerID string, data AuditData, now time.Time) (string, error) {
	ev := herald.OwnEvent{
		EventID:    herald.NewEventID(),
		EventType:  eventType,
		Timestamp:  now,
		Category:   "ADMIN",
		TenantID:   tenantID,
		PartnerID:  partnerID,
		IdentityID: data.Actor,
		Data:       data,
	}
	return ev.EventID, publish(ctx, topic, ev, eventType)
}
