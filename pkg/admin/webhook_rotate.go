package admin

import (
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

// maxSecretGrace is the longest grace period a rotated-out secret may get.
const maxSecretGrace = 7 * 24 * time.Hour

// rotateInput is the optional body of POST …/rotate-secret.
type rotateInput struct {
	// GracePeriod is how long the old secret keeps signing, a Go duration
	// from 0s to 168h. Defaults to herald.DefaultSecretGrace.
	GracePeriod *string `json:"grace_period"`
	// Secret is a caller-chosen new secret ("whsec_…"). Defaults to a new
	// random one.
	Secret *string `json:"secret"`
	// SecretExpiresAt is when the new secret should be rotated in turn
	// (RFC 3339, in the future). Defaults to never.
	SecretExpiresAt *string `json:"secret_expires_at"`
}

// rotation is a checked rotateInput.
type rotation struct {
	grace     time.Duration
	secret    string
	expiresAt time.Time
}

// check validates in against now.
func (in *rotateInput) check(now time.Time) (rotation, *validationError) {
	v := &validationError{}
	rot := rotation{secret: signature.NewSecret()}
	rot.grace = gracePeriod(in.GracePeriod, v)
	if in.Secret != nil {
		if _, err := signature.Key(*in.Secret); err != nil {
			v.add(err.Error(), "value_error", "body", "secret")
		} else {
			rot.secret = *in.Secret
		}
	}
	rot.expiresAt = futureTime(in.SecretExpiresAt, now, v)
	return rot, v
}

// rotateSecret gives a webhook a new signing secret. The old one keeps
// signing, next to the new one, for the grace period, so receivers can
// switch over without losing a delivery. The new secret is in the answer,
// and only there.
func (a *API) rotateSecret(w http.ResponseWriter, r *http.Request) {
	var in rotateInput
	v := &validationError{}
	decodeOptionalBody(r, &in, v)
	now := a.cfg.Now().UTC()
	var rot rotation
	if v.empty() {
		rot, v = in.check(now)
	}
	wh, ok := a.loadValidWebhook(w, r, v)
	if !ok {
		return
	}
	sealed, err := a.cfg.Sealer.Seal(r.Context(), rot.secret)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	err = a.saveWebhook(r.Context(), wh, func(wh *herald.Webhook) error {
		rot.apply(wh, sealed, now)
		return nil
	})
	if err != nil {
		a.saveFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("webhook secret rotated", "webhook_id", wh.ID, "grace", rot.grace.String())
	a.audit(r.Context(), r, herald.EventSecretRotated, wh.TenantID, wh.PartnerID,
		auditData{WebhookID: wh.ID, Name: wh.Name})
	view := a.viewWebhook(wh)
	view.Secret = rot.secret
	writeJSON(w, http.StatusOK, view)
}

// apply puts the new sealed secret on wh and keeps the old one for the grace
// period; a zero grace drops the old one at once.
func (rot rotation) apply(wh *herald.Webhook, sealed string, now time.Time) {
	wh.PreviousSealedSecret, wh.PreviousSecretUntilMS = "", 0
	if rot.grace > 0 {
		wh.PreviousSealedSecret = wh.SealedSecret
		wh.PreviousSecretUntilMS = herald.Millis(now.Add(rot.grace))
	}
	wh.SealedSecret = sealed
	wh.SecretExpiresMS = 0
	if !rot.expiresAt.IsZero() {
		wh.SecretExpiresMS = herald.Millis(rot.expiresAt)
	}
	wh.SecretExpiryNotified = 0
	wh.UpdatedAt = now
}
