package deliver

import (
	"context"
	"errors"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// credentials are what a request to a webhook carries that is stored sealed:
// the signing secrets and the custom headers, opened.
type credentials struct {
	secrets []signature.Secret
	headers map[string]string
	// unusable, when not "", says what can never be opened: the attempt
	// fails with it, as a recorded attempt.
	unusable string
	// cause is why, for the log.
	cause error
}

// credentials opens w's signing secrets and custom headers at now. The error is
// a keeper's failure worth trying again (an outage, throttling): it costs no
// attempt.
func (h *Handler) credentials(ctx context.Context, w *herald.Webhook, now time.Time) (credentials, error) {
	secrets, err := outbound.SigningSecretsCached(ctx, h.cfg.Sealer, h.secrets, w, now)
	switch {
	case errors.Is(err, outbound.ErrSecretUnusable):
		return credentials{unusable: "signing secret unusable", cause: err}, nil
	case err != nil:
		return credentials{}, err
	}
	headers, err := outbound.OpenHeaders(ctx, h.cfg.Sealer, w.Headers)
	switch {
	case errors.Is(err, outbound.ErrHeaderUnusable):
		return credentials{unusable: "custom header unusable", cause: err}, nil
	case err != nil:
		return credentials{}, err
	}
	return credentials{secrets: secrets, headers: headers}, nil
}
