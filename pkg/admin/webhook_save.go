package admin

import (
	"context"
	"errors"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// errOutsideBinding aborts a change that would take a webhook out of the
// caller's tenant or partner binding.
var errOutsideBinding = errors.New("outside the caller's binding")

// saveWebhook applies change to wh and writes it with wh's revision,
// re-applied to the webhook read again after a conflict (see
// store.WebhookWrites.Save). change may refuse with an error, which is
// returned as is.
func (a *API) saveWebhook(ctx context.Context, wh *herald.Webhook, change func(*herald.Webhook) error) error {
	return a.webhooks().Save(ctx, wh, change)
}

// webhooks writes webhooks and tells the tables that copy them.
func (a *API) webhooks() store.WebhookWrites {
	return store.WebhookWrites{Coll: a.cfg.Webhooks, Table: a.cfg.Table, Revision: a.cfg.Revision, Logger: a.cfg.Logger}
}

// saveFailed answers a saveWebhook that failed.
func (a *API) saveFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errOutsideBinding):
		writeDetail(w, http.StatusForbidden, "this token is bound to another tenant or partner")
	case errors.Is(err, herald.ErrNotFound):
		writeDetail(w, http.StatusNotFound, "webhook not found")
	case store.Conflict(err):
		writeDetail(w, http.StatusConflict, "the webhook changed meanwhile; read it and try again")
	default:
		a.storeFailed(w, r, err)
	}
}
