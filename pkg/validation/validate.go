package validation

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// Result is the outcome of one validation call.
type Result struct {
	OK bool
	// Reason says why it failed; "" when OK.
	Reason string
	// StatusCode is the endpoint's answer, 0 when there was none.
	StatusCode int
}

// Validate POSTs a signed webhook.validation event with a random challenge
// and c's origin to wh: any 2xx validates it. The error is Call's.
func (c Caller) Validate(ctx context.Context, wh *herald.Webhook) (Result, error) {
	ev := c.NewEnvelope(wh, herald.EventValidation, map[string]string{"webhook_id": wh.ID, "challenge": challenge()})
	ev.Origin = c.Origin
	if ev.Origin == "" {
		ev.Origin = DefaultOrigin
	}
	at, _, err := c.Call(ctx, wh, ev)
	if err != nil {
		return Result{}, err
	}
	if at.Succeeded() {
		return Result{OK: true, StatusCode: at.StatusCode}, nil
	}
	if at.PrivateTarget {
		// The reason is stored on the webhook, shown to every caller that
		// sees it: nothing of a private target's answer but its status.
		at = outbound.WithoutAnswer(at)
	}
	return Result{Reason: at.Error, StatusCode: at.StatusCode}, nil
}

// challenge returns a random string the validation call carries.
func challenge() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
