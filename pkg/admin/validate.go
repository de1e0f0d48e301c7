package admin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// validationOrigin is the envelope's origin on a validation call.
const validationOrigin = "validation"

// validationResult is the outcome of one validation call.
type validationResult struct {
	ok     bool
	reason string // why it failed; "" when ok
}

// validateWebhook validates the endpoint now and answers with the webhook as
// it stands after the call, validated or not.
func (a *API) validateWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	res, err := a.validateEndpoint(r.Context(), wh)
	if err == nil {
		err = a.saveValidation(r.Context(), wh, res)
	}
	switch {
	case gcerrors.Code(err) == gcerrors.FailedPrecondition:
		writeDetail(w, http.StatusConflict, "the webhook changed meanwhile; try again")
		return
	case err != nil:
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.viewWebhook(wh))
}

// validateOnCreate validates a webhook just created. A failed validation, or
// a failure to record it, does not fail the create: wh shows what is known.
func (a *API) validateOnCreate(r *http.Request, wh *herald.Webhook) {
	res, err := a.validateEndpoint(r.Context(), wh)
	if err == nil {
		err = a.saveValidation(r.Context(), wh, res)
	}
	if err != nil {
		a.cfg.Logger.Error("validation on create not recorded", "webhook_id", wh.ID, "error", err)
	}
}

// validateEndpoint POSTs a signed webhook.validation event with a random
// challenge to wh: any 2xx validates it.
func (a *API) validateEndpoint(ctx context.Context, wh *herald.Webhook) (validationResult, error) {
	ev := a.newCall(wh, herald.EventValidation, map[string]string{"webhook_id": wh.ID, "challenge": challenge()})
	ev.Origin = validationOrigin
	at, err := a.call(ctx, wh, ev)
	if err != nil {
		return validationResult{}, err
	}
	a.cfg.Logger.Info("webhook validation call made", "webhook_id", wh.ID, "status_code", at.StatusCode, "error", at.Error)
	if at.Succeeded() {
		return validationResult{ok: true}, nil
	}
	if at.PrivateTarget {
		// The reason is stored on the webhook, shown to every caller that
		// sees it: nothing of a private target's answer but its status.
		at = withoutAnswer(at)
	}
	return validationResult{reason: at.Error}, nil
}

// saveValidation records res on wh with a revision-checked write; when the
// webhook changed meanwhile it reads it again and tries once more.
func (a *API) saveValidation(ctx context.Context, wh *herald.Webhook, res validationResult) error {
	for try := 1; ; try++ {
		wh.Validated, wh.ValidatedAt, wh.ValidationError = res.ok, a.cfg.Now().UTC(), res.reason
		wh.DeriveSecretDuty()
		err := a.cfg.Webhooks.Replace(ctx, wh)
		a.cfg.Table.Changed(wh.ID)
		if err == nil {
			a.revised(ctx, wh.ID)
		}
		if err == nil || gcerrors.Code(err) != gcerrors.FailedPrecondition || try == 2 {
			return err
		}
		fresh, err := a.webhook(ctx, wh.ID)
		if err != nil {
			return fmt.Errorf("re-read webhook %s: %w", wh.ID, err)
		}
		if fresh.URL != wh.URL {
			*wh = *fresh // the result was for a URL the webhook no longer has
			return nil
		}
		*wh = *fresh
	}
}

// challenge returns a random string the validation call carries.
func challenge() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
