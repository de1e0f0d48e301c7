package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
)

// Placeholders until the webhook operations land.

func (a *API) listEventTypes(w http.ResponseWriter, r *http.Request)  { notYet(w) }
func (a *API) rotateSecret(w http.ResponseWriter, r *http.Request)    { notYet(w) }
func (a *API) webhookStats(w http.ResponseWriter, r *http.Request)    { notYet(w) }
func (a *API) testWebhook(w http.ResponseWriter, r *http.Request)     { notYet(w) }
func (a *API) pauseWebhook(w http.ResponseWriter, r *http.Request)    { notYet(w) }
func (a *API) resumeWebhook(w http.ResponseWriter, r *http.Request)   { notYet(w) }
func (a *API) validateWebhook(w http.ResponseWriter, r *http.Request) { notYet(w) }

// validateOnCreate validates a webhook just created.
func (a *API) validateOnCreate(r *http.Request, wh *herald.Webhook) {}
