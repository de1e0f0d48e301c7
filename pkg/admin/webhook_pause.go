package admin

import (
	"errors"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
)

// pauseWebhook pauses a webhook: new deliveries are held (up to its
// pause_queue_limit, then dropped and counted) until it is resumed. Pausing a
// paused webhook changes nothing.
func (a *API) pauseWebhook(w http.ResponseWriter, r *http.Request) { a.setPaused(w, r, true) }

// resumeWebhook resumes a webhook and enqueues the deliveries it held,
// oldest first.
func (a *API) resumeWebhook(w http.ResponseWriter, r *http.Request) { a.setPaused(w, r, false) }

func (a *API) setPaused(w http.ResponseWriter, r *http.Request, paused bool) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	if wh.Paused != paused {
		wh.Paused, wh.UpdatedAt = paused, a.cfg.Now().UTC()
		// An update of these two fields alone, not a revision-checked
		// replace: an overflowing paused webhook has its pause_dropped
		// counter bumped by every event, and resuming it must not lose
		// that race.
		err := a.webhooks().SetPaused(r.Context(), wh.ID, paused, wh.UpdatedAt)
		if errors.Is(err, herald.ErrNotFound) {
			writeDetail(w, http.StatusNotFound, "webhook not found")
			return
		}
		if err != nil {
			a.storeFailed(w, r, err)
			return
		}
		a.cfg.Logger.Info("webhook paused state changed", "webhook_id", wh.ID, "paused", paused)
		a.auditPause(r, wh)
	}
	// Resuming a webhook that is not paused still releases anything held:
	// a hold that raced with an earlier resume is sent now.
	if !paused {
		if err := a.resumeHeld(r.Context(), wh.ID); err != nil {
			a.storeFailed(w, r, err)
			return
		}
	}
	held, err := a.heldCount(r.Context(), wh.ID)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	view := a.viewWebhook(wh)
	view.Held = &held
	writeJSON(w, http.StatusOK, view)
}

// auditPause emits the paused or resumed audit event for wh's new state.
func (a *API) auditPause(r *http.Request, wh *herald.Webhook) {
	eventType := herald.EventEndpointResumed
	if wh.Paused {
		eventType = herald.EventEndpointPaused
	}
	a.audit(r.Context(), r, eventType, wh.TenantID, wh.PartnerID, auditData{WebhookID: wh.ID, Name: wh.Name})
}
