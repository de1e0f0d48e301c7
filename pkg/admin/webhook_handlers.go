package admin

import (
	"context"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) {
	listOwned(a, w, r, a.cfg.Webhooks, func(wh *herald.Webhook) (string, string, string) {
		return wh.ID, wh.TenantID, wh.PartnerID
	}, a.viewWebhook)
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) {
	var in webhookInput
	v := &validationError{}
	if decodeBody(r, &in, v); v.empty() {
		v = a.check(&in, true)
		checkMasked(in.Headers, nil, v)
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	tenant, partner, ok := bindScope(w, principal(r), in.TenantID, in.PartnerID)
	if !ok {
		return
	}
	now := a.cfg.Now().UTC()
	wh := &herald.Webhook{
		ID:              herald.NewWebhookID(),
		Enabled:         true,
		PauseQueueLimit: herald.DefaultPauseQueueLimit,
		CreatedAt:       now,
	}
	in.apply(wh, now)
	wh.TenantID, wh.PartnerID = tenant, partner
	headers, err := a.sealHeaders(r.Context(), wh.Headers, nil)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	wh.Headers = headers
	secret := signature.NewSecret()
	if in.Secret != nil {
		secret = *in.Secret
	}
	sealed, err := a.cfg.Sealer.Seal(r.Context(), secret)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	wh.SealedSecret = sealed
	if err := a.webhooks().Create(r.Context(), wh); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("webhook created", "webhook_id", wh.ID)
	a.audit(r.Context(), r, herald.EventEndpointCreated, wh.TenantID, wh.PartnerID,
		auditData{WebhookID: wh.ID, Name: wh.Name})
	if in.Validate == nil || *in.Validate {
		a.validateOnCreate(r, wh)
	}
	view := a.viewWebhook(wh)
	view.Secret = secret
	writeJSON(w, http.StatusCreated, view)
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	view := a.viewWebhook(wh)
	held, err := a.heldCount(r.Context(), wh.ID)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	view.Held = &held
	writeJSON(w, http.StatusOK, view)
}

func (a *API) patchWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	var in webhookInput
	v := &validationError{}
	if decodeBody(r, &in, v); v.empty() {
		v = a.check(&in, false)
		checkMasked(in.Headers, wh.Headers, v)
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	p := principal(r)
	if _, _, ok := bindScope(w, p, in.TenantID, in.PartnerID); !ok {
		return
	}
	var was herald.Webhook
	err := a.saveWebhook(r.Context(), wh, func(wh *herald.Webhook) error {
		was = *wh
		in.apply(wh, a.cfg.Now().UTC())
		if err := a.patchHeaders(r.Context(), &in, wh, was.Headers); err != nil {
			return err
		}
		// A bound caller keeps the webhook exactly within its binding (also
		// when the webhook was moved meanwhile and is read again here).
		if !owns(p, wh.TenantID, wh.PartnerID) {
			return errOutsideBinding
		}
		return nil
	})
	if err != nil {
		a.saveFailed(w, r, err)
		return
	}
	changed := auditData{WebhookID: wh.ID, Name: wh.Name, Changed: in.changed()}
	a.audit(r.Context(), r, herald.EventEndpointUpdated, wh.TenantID, wh.PartnerID, changed)
	if was.TenantID != wh.TenantID || was.PartnerID != wh.PartnerID {
		// The webhook left a scope: its former owner hears of it too.
		a.audit(r.Context(), r, herald.EventEndpointUpdated, was.TenantID, was.PartnerID, changed)
	}
	if wh.URL != was.URL {
		a.revalidateNewURL(r, wh)
	}
	wasPaused := was.Paused
	if wasPaused != wh.Paused {
		a.auditPause(r, wh)
	}
	if wasPaused && !wh.Paused {
		if err := a.resumeHeld(r.Context(), wh.ID); err != nil {
			a.storeFailed(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, a.viewWebhook(wh))
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	if err := a.webhooks().Delete(r.Context(), wh.ID); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("webhook deleted", "webhook_id", wh.ID)
	a.audit(r.Context(), r, herald.EventEndpointDeleted, wh.TenantID, wh.PartnerID,
		auditData{WebhookID: wh.ID, Name: wh.Name})
	w.WriteHeader(http.StatusNoContent)
}

// loadWebhook reads the webhook named in the path (see load).
func (a *API) loadWebhook(w http.ResponseWriter, r *http.Request) (*herald.Webhook, bool) {
	wh := &herald.Webhook{ID: r.PathValue("webhook_id")}
	ok := a.load(w, r, a.cfg.Webhooks, wh, wh.ID, "webhook",
		func() (string, string) { return wh.TenantID, wh.PartnerID })
	return wh, ok
}

// loadValidWebhook answers v's problems when it has any, so a bad request
// is told so before whether its webhook exists; otherwise it reads the
// webhook named in the path (see loadWebhook). It reports whether the request
// may go on.
func (a *API) loadValidWebhook(w http.ResponseWriter, r *http.Request, v *validationError) (*herald.Webhook, bool) {
	if !v.empty() {
		writeValidation(w, v)
		return nil, false
	}
	return a.loadWebhook(w, r)
}

func (a *API) webhook(ctx context.Context, id string) (*herald.Webhook, error) {
	return a.webhooks().Get(ctx, id)
}
