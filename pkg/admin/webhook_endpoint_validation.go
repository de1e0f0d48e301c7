package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/validation"
)

// validateWebhook validates the endpoint now and answers with the webhook as
// it stands after the call, validated or not.
func (a *API) validateWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	res, err := a.validateEndpoint(r, wh)
	if err == nil {
		_, err = a.recorder().Record(r.Context(), wh, res, false)
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
	res, err := a.validateEndpoint(r, wh)
	if err == nil {
		_, err = a.recorder().Record(r.Context(), wh, res, false)
	}
	if err != nil {
		a.cfg.Logger.Error("validation on create not recorded", "webhook_id", wh.ID, "error", err)
	}
}

// revalidateNewURL validates a webhook whose URL a patch just changed: a
// re-validation, so a failure announces webhook.endpoint.validation_failed.
// A failure to validate or record it does not fail the patch: wh shows what
// is known.
func (a *API) revalidateNewURL(r *http.Request, wh *herald.Webhook) {
	res, err := a.recorder().Revalidate(r.Context(), a.caller(), wh)
	if err != nil {
		a.cfg.Logger.Error("re-validation after a URL change not recorded", "webhook_id", wh.ID, "error", err)
		return
	}
	a.cfg.Logger.Info("webhook re-validated after a URL change", "webhook_id", wh.ID,
		"validated", res.OK, "error", res.Reason)
}

// validateEndpoint makes the validation call to wh (see
// validation.Caller.Validate).
func (a *API) validateEndpoint(r *http.Request, wh *herald.Webhook) (validation.Result, error) {
	res, err := a.caller().Validate(r.Context(), wh)
	if err == nil {
		a.cfg.Logger.Info("webhook validation call made", "webhook_id", wh.ID, "status_code", res.StatusCode,
			"error", res.Reason)
	}
	return res, err
}
