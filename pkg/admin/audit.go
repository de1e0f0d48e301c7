package admin

import (
	"context"
	"net/http"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// auditData is the data of every audit event: what changed, and who changed it.
type auditData struct {
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

// audit publishes an audit event (category ADMIN) to the ingest topic, scoped
// to the tenant and partner that own the changed resource, so an admin can
// subscribe to it like to any event. It never carries a secret. Publishing
// is best effort: the change is made already, so a failure is logged, not
// returned.
func (a *API) audit(ctx context.Context, r *http.Request, eventType, tenantID, partnerID string, data auditData) {
	p := principal(r)
	data.Actor, data.ActorKind = p.Subject, p.Kind
	ev := herald.OwnEvent{
		EventID:    herald.NewEventID(),
		EventType:  eventType,
		Timestamp:  a.cfg.Now(),
		Category:   "ADMIN",
		TenantID:   tenantID,
		PartnerID:  partnerID,
		IdentityID: p.Subject,
		Data:       data,
	}
	body, err := ev.Encode()
	if err == nil {
		err = a.cfg.OwnEvents.Send(context.WithoutCancel(ctx), &pubsub.Message{Body: body})
	}
	if err != nil {
		a.cfg.Logger.Error("audit event not published", "event_type", eventType, "event_id", ev.EventID, "error", err)
	}
}
