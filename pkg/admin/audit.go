package admin

import (
	"context"
	"net/http"

	"github.com/heraldhq/herald/pkg/ownevent"
)

// auditData is the data of every audit event (see ownevent.AuditData).
type auditData = ownevent.AuditData

// audit publishes an audit event to the own-events channel (see
// ownevent.PublishAudit) with the caller of r as its actor. Publishing is
// best effort: the change is made already, so a failure is logged, not
// returned.
func (a *API) audit(ctx context.Context, r *http.Request, eventType, tenantID, partnerID string, data auditData) {
	p := principal(r)
	data.Actor, data.ActorKind = p.Subject, p.Kind
	id, err := ownevent.PublishAudit(context.WithoutCancel(ctx), a.cfg.OwnEvents, eventType, tenantID, partnerID, data, a.cfg.Now())
	if err != nil {
		a.cfg.Logger.Error("audit event not published", "event_type", eventType, "event_id", id, "error", err)
	}
}
