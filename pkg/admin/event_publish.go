package admin

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
)

// publishEvent validates an envelope and publishes it to the ingest topic:
// 202 with its event_id, or 422 naming what is wrong. Herald's own event
// types (webhook.*) cannot be published from outside. Delivery happens
// asynchronously, as for events from any other publisher. A token bound to
// a tenant or partner publishes only for its own scope (see owns).
func (a *API) publishEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		invalid(w, "could not read the body", "body_error", "body")
		return
	}
	p := principal(r)
	env, err := a.cfg.Parser.ParseScoped(body, p.TenantID, p.PartnerID)
	if err != nil {
		var ve *envelope.ValidationError
		if !errors.As(err, &ve) {
			invalid(w, "invalid event", "value_error", "body")
			return
		}
		v := &validationError{}
		for _, p := range ve.Problems {
			loc := []any{"body"}
			if p.Field != "" {
				loc = append(loc, p.Field)
			}
			v.add(p.Reason, p.Type, loc...)
		}
		writeValidation(w, v)
		return
	}
	// A bound publisher's events are stamped with its tenant (partner) when
	// they name none. It publishes for its own scope only: naming another
	// tenant (partner), an empty one, or one on a dimension it is not bound
	// on (a tenant-bound token naming a partner) is refused, since events
	// reach every webhook of the scope they name.
	if p.Bound() && (env.TenantID != p.TenantID || env.PartnerID != p.PartnerID) {
		writeDetail(w, http.StatusForbidden, "this token publishes only for its own tenant and partner")
		return
	}
	if herald.IsOwnEvent(env.EventType) {
		invalid(w, "the webhook.* and application.* event types are reserved for Herald's own events", "value_error", "body", "event_type")
		return
	}
	// What the parser inserted is named, so that ingest can still tell the
	// bytes the publisher sent (for webhooks that get events as published).
	msg := &pubsub.Message{Body: env.Raw}
	if len(env.Inserted) > 0 {
		msg.Metadata = map[string]string{envelope.InsertedMetadata: strings.Join(env.Inserted, ",")}
	}
	if err := a.cfg.Ingest.Send(r.Context(), msg); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"event_id": env.EventID})
}
