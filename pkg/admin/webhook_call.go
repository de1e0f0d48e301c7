package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// callEnvelope is the envelope of a call the API makes to an endpoint itself
// (a test or a validation), built as ingest would deliver it.
type callEnvelope struct {
	EventID   string    `json:"event_id"`
	EventType string    `json:"event_type"`
	Timestamp time.Time `json:"timestamp"`
	// Origin marks a validation call (HERALD_VALIDATION_ORIGIN).
	Origin    string `json:"origin,omitempty"`
	TenantID  string `json:"tenant_id,omitempty"`
	PartnerID string `json:"partner_id,omitempty"`
	Data      any    `json:"data"`
}

// newCall returns the envelope of an eventType call to wh, made now.
func (a *API) newCall(wh *herald.Webhook, eventType string, data any) callEnvelope {
	return callEnvelope{EventID: herald.NewEventID(), EventType: eventType, Timestamp: a.cfg.Now().UTC(),
		TenantID: wh.TenantID, PartnerID: wh.PartnerID, Data: data}
}

// call signs ev with wh's signing keys and POSTs it to wh's URL once, with
// wh's headers opened, through the shared sender (and its SSRF guard).
// Nothing is stored. The error is for a webhook whose secret or headers
// cannot be opened; a receiver that fails or cannot be reached is described
// in the attempt.
func (a *API) call(ctx context.Context, wh *herald.Webhook, ev callEnvelope) (herald.Attempt, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return herald.Attempt{}, fmt.Errorf("encode %s event: %w", ev.EventType, err)
	}
	now := a.cfg.Now()
	keys, err := outbound.SigningKeys(ctx, a.cfg.Sealer, wh, now)
	if err != nil {
		return herald.Attempt{}, fmt.Errorf("signing keys of %s: %w", wh.ID, err)
	}
	headers, err := outbound.OpenHeaders(ctx, a.cfg.Sealer, wh.Headers)
	if err != nil {
		return herald.Attempt{}, fmt.Errorf("custom headers of %s: %w", wh.ID, err)
	}
	sender := outbound.Sender{Client: a.cfg.Client, Signer: signature.Signer{Prefix: a.cfg.HeaderPrefix}, Now: a.cfg.Now}
	timeout := a.cfg.DeliveryTimeout
	if wh.TimeoutSeconds > 0 {
		timeout = time.Duration(min(wh.TimeoutSeconds, herald.MaxTimeoutSeconds)) * time.Second
	}
	return sender.Send(ctx, outbound.Request{
		URL: wh.URL, Headers: headers, Keys: keys, Timeout: timeout,
		Message: signature.Message{ID: ev.EventID, EventType: ev.EventType, Timestamp: now, Body: body},
	}), nil
}
