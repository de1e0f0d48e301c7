package admin

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) {
	v := &validationError{}
	p := parsePage(r, v)
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	q := a.cfg.Webhooks.Query()
	if t := r.URL.Query().Get("tenant_id"); t != "" {
		q = q.Where("tenant_id", "=", t)
	}
	if pt := r.URL.Query().Get("partner_id"); pt != "" {
		q = q.Where("partner_id", "=", pt)
	}
	iter := q.Get(r.Context())
	defer iter.Stop()
	var all []*herald.Webhook
	for {
		wh := new(herald.Webhook)
		err := iter.Next(r.Context(), wh)
		if err == io.EOF {
			break
		}
		if err != nil {
			a.storeFailed(w, r, err)
			return
		}
		all = append(all, wh)
	}
	// Ids are time-ordered: list in creation order.
	slices.SortFunc(all, func(x, y *herald.Webhook) int { return cmp.Compare(x.ID, y.ID) })
	out := list[webhookView]{Items: []webhookView{}, Page: p.Page, PerPage: p.PerPage, Total: len(all)}
	for _, wh := range window(all, p) {
		out.Items = append(out.Items, a.viewWebhook(wh))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) {
	var in webhookInput
	v := &validationError{}
	if decodeBody(r, &in, v); v.empty() {
		v = a.check(&in, true)
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	now := a.cfg.Now().UTC()
	wh := &herald.Webhook{
		ID:              herald.NewWebhookID(),
		Enabled:         true,
		PauseQueueLimit: herald.DefaultPauseQueueLimit,
		Secret:          signature.NewSecret(),
		CreatedAt:       now,
	}
	in.apply(wh, now)
	if in.Secret != nil {
		wh.Secret = *in.Secret
	}
	if err := a.cfg.Webhooks.Create(r.Context(), wh); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	view := a.viewWebhook(wh)
	view.Secret = wh.Secret
	a.cfg.Logger.Info("webhook created", "webhook_id", wh.ID)
	writeJSON(w, http.StatusCreated, view)
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if ok {
		writeJSON(w, http.StatusOK, a.viewWebhook(wh))
	}
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
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	wasPaused := wh.Paused
	in.apply(wh, a.cfg.Now().UTC())
	if err := a.cfg.Webhooks.Replace(r.Context(), wh); err != nil {
		if gcerrors.Code(err) == gcerrors.FailedPrecondition {
			writeDetail(w, http.StatusConflict, "the webhook changed meanwhile; read it and try again")
			return
		}
		a.storeFailed(w, r, err)
		return
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
	if err := a.cfg.Webhooks.Delete(r.Context(), wh); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("webhook deleted", "webhook_id", wh.ID)
	w.WriteHeader(http.StatusNoContent)
}

// loadWebhook reads the webhook named in the path, answering 404 when there
// is none.
func (a *API) loadWebhook(w http.ResponseWriter, r *http.Request) (*herald.Webhook, bool) {
	wh, err := a.webhook(r.Context(), r.PathValue("webhook_id"))
	switch {
	case errors.Is(err, herald.ErrNotFound):
		writeDetail(w, http.StatusNotFound, "webhook not found")
		return nil, false
	case err != nil:
		a.storeFailed(w, r, err)
		return nil, false
	}
	return wh, true
}

func (a *API) webhook(ctx context.Context, id string) (*herald.Webhook, error) {
	if id == "" || len(id) > 64 {
		return nil, herald.ErrNotFound
	}
	wh := &herald.Webhook{ID: id}
	if err := a.cfg.Webhooks.Get(ctx, wh); err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, herald.ErrNotFound
		}
		return nil, err
	}
	return wh, nil
}
