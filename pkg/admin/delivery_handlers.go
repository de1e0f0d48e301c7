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

func (a *API) getDelivery(w http.ResponseWriter, r *http.Request) {
	d, ok := a.loadDelivery(w, r)
	if !ok {
		return
	}
	view := viewDelivery(d, r)
	ev := &herald.Event{ID: d.EventStoreKey()}
	switch err := a.cfg.Events.Get(r.Context(), ev); {
	case err == nil:
		view.Payload = json.RawMessage(ev.Payload)
	case !store.NotFound(err):
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

// retryDelivery makes one new attempt of a delivery now, whatever its status.
// It is one shot: if it fails the delivery is failed, with no automatic
// retries after it and no second dropped event.
func (a *API) retryDelivery(w http.ResponseWriter, r *http.Request) {
	d, ok := a.loadDelivery(w, r)
	if !ok {
		return
	}
	now := a.cfg.Now()
	switch {
	case d.LeaseUntilMS > herald.Millis(now):
		writeDetail(w, http.StatusConflict, "an attempt of this delivery is in flight")
		return
	case d.Status == herald.StatusPaused:
		writeDetail(w, http.StatusConflict, "the webhook is paused; resume it to send held deliveries")
		return
	}
	if err := a.lifecycle().Rearm(r.Context(), a.cfg.Enqueuer, d, true, now); err != nil {
		if store.Conflict(err) {
			writeDetail(w, http.StatusConflict, "the delivery changed meanwhile; try again")
			return
		}
		a.storeFailed(w, r, err)
		return
	}
	a.cfg.Logger.Info("delivery retried", "delivery_id", d.ID, "webhook_id", d.WebhookID, "attempt", d.AttemptCount+1)
	writeJSON(w, http.StatusOK, viewDelivery(d, r))
}

// loadDelivery reads the delivery named in the path, answering 422 for an id
// that is not an integer and 404 when it does not exist or belongs to another
// webhook.
func (a *API) loadDelivery(w http.ResponseWriter, r *http.Request) (*herald.Delivery, bool) {
	id, err := strconv.ParseInt(r.PathValue("delivery_id"), 10, 64)
	if err != nil || id <= 0 {
		invalid(w, "must be a positive integer", "int_parsing", "path", "delivery_id")
		return nil, false
	}
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return nil, false
	}
	d, err := a.delivery(r.Context(), id)
	if err == nil && d.WebhookID != wh.ID {
		err = herald.ErrNotFound
	}
	switch {
	case errors.Is(err, herald.ErrNotFound):
		writeDetail(w, http.StatusNotFound, "delivery not found")
		return nil, false
	case err != nil:
		a.storeFailed(w, r, err)
		return nil, false
	}
	return d, true
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
	return store.Lifecycle{Deliveries: a.cfg.Deliveries}
}
