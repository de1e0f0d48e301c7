package validation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
)

// DefaultOrigin is the envelope's origin on a validation call unless the
// deployment sets another (HERALD_VALIDATION_ORIGIN).
const DefaultOrigin = "validation"

// Envelope is the envelope of a call Herald makes to an endpoint itself (a
// test or a validation), built as ingest would deliver it.
type Envelope struct {
	EventID   string    `json:"event_id"`
	EventType string    `json:"event_type"`
	Timestamp time.Time `json:"timestamp"`
	// Origin marks a test or validation call, so a receiver can tell it
	// from an event (HERALD_VALIDATION_ORIGIN for a validation).
	Origin    string `json:"origin,omitempty"`
	TenantID  string `json:"tenant_id,omitempty"`
	PartnerID string `json:"partner_id,omitempty"`
	Data      any    `json:"data"`
}

// Sent is the request a call made: its headers, names as they went out,
// and its body.
type Sent struct {
	Headers http.Header
	Body    []byte
}

// Caller makes calls to endpoints with their signing secrets and custom
// headers, through the shared sender and its SSRF guard. Nothing is stored.
type Caller struct {
	// Sealer opens the webhooks' secrets and header values. Required.
	Sealer *seal.Sealer
	// Client sends the requests (see outbound.NewClient). Required.
	Client *http.Client
	// HeaderPrefix is the deployment's header prefix. Defaults to
	// signature.DefaultPrefix.
	HeaderPrefix string
	// HexSignature is what the hex signature header carries
	// (HERALD_HEX_SIGNATURE). Defaults to signature.HexSHA256.
	HexSignature signature.HexMode
	// Timeout bounds a call to a webhook without its own timeout_seconds.
	// Defaults to 10s.
	Timeout time.Duration
	// Origin is the origin of a validation call. Defaults to DefaultOrigin.
	Origin string
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// now returns the current time by c's clock.
func (c Caller) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// NewEnvelope returns the envelope of an eventType call to wh, made now.
func (c Caller) NewEnvelope(wh *herald.Webhook, eventType string, data any) Envelope {
	return Envelope{EventID: herald.NewEventID(), EventType: eventType, Timestamp: c.now().UTC(),
		TenantID: wh.TenantID, PartnerID: wh.PartnerID, Data: data}
}

// Call signs ev with wh's signing secrets and POSTs it to wh's URL once, with
// wh's headers opened. The error is for a webhook whose secret or headers
// cannot be opened; a receiver that fails or cannot be reached is described
// in the attempt.
func (c Caller) Call(ctx context.Context, wh *herald.Webhook, ev Envelope) (herald.Attempt, Sent, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return herald.Attempt{}, Sent{}, fmt.Errorf("encode %s event: %w", ev.EventType, err)
	}
	now := c.now()
	secrets, err := outbound.SigningSecrets(ctx, c.Sealer, wh, now)
	if err != nil {
		return herald.Attempt{}, Sent{}, fmt.Errorf("signing secrets of %s: %w", wh.ID, err)
	}
	headers, err := outbound.OpenHeaders(ctx, c.Sealer, wh.Headers)
	if err != nil {
		return herald.Attempt{}, Sent{}, fmt.Errorf("custom headers of %s: %w", wh.ID, err)
	}
	sender := outbound.Sender{Client: c.Client, Signer: signature.Signer{Prefix: c.HeaderPrefix, Hex: c.HexSignature}, Now: c.Now}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if wh.TimeoutSeconds > 0 {
		timeout = time.Duration(min(wh.TimeoutSeconds, herald.MaxTimeoutSeconds)) * time.Second
	}
	sent := Sent{Body: body}
	at := sender.Send(ctx, outbound.Request{
		URL: wh.URL, Headers: headers, Secrets: secrets, Timeout: timeout, Sent: &sent.Headers,
		Message: signature.Message{ID: ev.EventID, EventType: ev.EventType, Timestamp: now, Body: body},
	})
	return at, sent, nil
}
