package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) {
	v := &validationError{}
	p := parsePage(r, v)
	status := parseStatus(r.URL.Query(), v)
	wh, ok := a.loadValidWebhook(w, r, v)
	if !ok {
		return
	}
	// Count with ids only, then read the page's deliveries whole: attempts
	// carry response bodies, and only one page of them is shown.
	ids := store.WebhookDeliveries(a.cfg.Deliveries, wh.ID, status).Get(r.Context(), store.IDFields...)
	out := list[deliveryView]{Items: []deliveryView{}, Page: p.Page, PerPage: p.PerPage}
	var pageIDs []*herald.Delivery
	for d, err := range store.Docs[herald.Delivery](r.Context(), ids) {
		if err != nil {
			a.storeFailed(w, r, err)
			return
		}
		if out.Total >= p.offset() && len(pageIDs) < p.PerPage {
			pageIDs = append(pageIDs, d)
		}
		out.Total++
	}
	pageDocs, err := readWhole(r.Context(), a.cfg.Deliveries, pageIDs)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	for _, d := range pageDocs {
		out.Items = append(out.Items, viewDelivery(d, r))
	}
	writeJSON(w, http.StatusOK, out)
}

// getDelivery answers one delivery with its event as the webhook's receiver
// gets it (by the webhook's payload_format).
func (a *API) getDelivery(w http.ResponseWriter, r *http.Request) {
	d, wh, ok := a.loadDeliveryOf(w, r)
	if !ok {
		return
	}
	view := viewDelivery(d, r)
	ev := &herald.Event{ID: d.EventStoreKey()}
	switch err := a.cfg.Events.Get(r.Context(), ev); {
	case err == nil:
		view.Payload = json.RawMessage(ev.Body(wh.PayloadFormat))
	case !store.NotFound(err):
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

// retryDelivery retries a delivery now (see store.Lifecycle.Retry): a
// pending one's next attempt is made now, its schedule kept; a failed one
// gets one manual attempt; a succeeded one is refused with 409 unless the
// body is {"force": true}. The answer is the delivery with "retry" saying
// which of these happened.
func (a *API) retryDelivery(w http.ResponseWriter, r *http.Request) {
	var in retryInput
	v := &validationError{}
	if decodeOptionalBody(r, &in, v); !v.empty() {
		writeValidation(w, v)
		return
	}
	d, ok := a.loadDelivery(w, r)
	if !ok {
		return
	}
	kind, err := a.lifecycle().Retry(r.Context(), a.cfg.Enqueuer, d, in.Force, a.cfg.Now())
	switch {
	case errors.Is(err, store.ErrSucceeded):
		writeDetail(w, http.StatusConflict, "the delivery succeeded already and is not sent again; "+
			`send {"force": true} to send it once more`)
		return
	case errors.Is(err, store.ErrAttemptInFlight):
		writeDetail(w, http.StatusConflict, "an attempt of this delivery is in flight")
		return
	case errors.Is(err, store.ErrHeld):
		writeDetail(w, http.StatusConflict, "the webhook is paused; resume it to send held deliveries")
		return
	case store.Conflict(err):
		writeDetail(w, http.StatusConflict, "the delivery changed meanwhile; try again")
		return
	case err != nil:
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("delivery retried", "delivery_id", d.ID, "webhook_id", d.WebhookID,
		"attempt", d.AttemptCount+1, "retry", kind)
	writeJSON(w, http.StatusOK, retryView{deliveryView: viewDelivery(d, r), Retry: kind})
}

// retryInput is the optional body of a retry.
type retryInput struct {
	// Force sends a succeeded delivery again.
	Force bool `json:"force"`
}

// retryView is a retried delivery and what the retry did.
type retryView struct {
	deliveryView
	Retry store.RetryKind `json:"retry"`
}

// loadDelivery reads the delivery named in the path, answering 422 for an id
// that is not an integer and 404 when it does not exist or belongs to another
// webhook.
func (a *API) loadDelivery(w http.ResponseWriter, r *http.Request) (*herald.Delivery, bool) {
	d, _, ok := a.loadDeliveryOf(w, r)
	return d, ok
}

// loadDeliveryOf is loadDelivery that also returns the delivery's webhook.
func (a *API) loadDeliveryOf(w http.ResponseWriter, r *http.Request) (*herald.Delivery, *herald.Webhook, bool) {
	id, err := strconv.ParseInt(r.PathValue("delivery_id"), 10, 64)
	if err != nil || id <= 0 {
		invalid(w, "must be a positive integer", "int_parsing", "path", "delivery_id")
		return nil, nil, false
	}
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return nil, nil, false
	}
	d, err := a.delivery(r.Context(), id)
	if err == nil && d.WebhookID != wh.ID {
		err = herald.ErrNotFound
	}
	switch {
	case errors.Is(err, herald.ErrNotFound):
		writeDetail(w, http.StatusNotFound, "delivery not found")
		return nil, nil, false
	case err != nil:
		a.storeFailed(w, r, err)
		return nil, nil, false
	}
	return d, wh, true
}

func (a *API) delivery(ctx context.Context, id int64) (*herald.Delivery, error) {
	d := &herald.Delivery{ID: id}
	if err := a.cfg.Deliveries.Get(ctx, d); err != nil {
		if store.NotFound(err) {
			return nil, herald.ErrNotFound
		}
		return nil, fmt.Errorf("read delivery %d: %w", id, err)
	}
	return d, nil
}

// lifecycle moves deliveries from one status to another (see
// store.Lifecycle): the API re-arms them for a manual retry or a resume.
func (a *API) lifecycle() store.Lifecycle {
	return store.Lifecycle{Deliveries: a.cfg.Deliveries, Preclaims: a.cfg.Preclaims}
}
