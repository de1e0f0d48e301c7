package admin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
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
	case store.Conflict(err):
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
// webhook changed meanwhile it is read again and res recorded on it, unless
// its URL changed (res was for a URL it no longer has): wh then shows it as
// it is.
func (a *API) saveValidation(ctx context.Context, wh *herald.Webhook, res validationResult) error {
	url := wh.URL
	err := a.webhooks().Save(ctx, wh, func(wh *herald.Webhook) error {
		if wh.URL != url {
			return store.ErrStale
		}
		wh.Validated, wh.ValidatedAt, wh.ValidationError = res.ok, a.cfg.Now().UTC(), res.reason
		return nil
	})
	if errors.Is(err, store.ErrStale) {
		return nil
	}
	return err
}

// challenge returns a random string the validation call carries.
func challenge() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
