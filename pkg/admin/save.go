package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// saveTries bounds how often saveWebhook re-reads a webhook that changed
// between its read and its write.
const saveTries = 3

// errOutsideBinding aborts a change that would take a webhook out of the
// caller's tenant or partner binding.
var errOutsideBinding = errors.New("outside the caller's binding")

// saveWebhook applies change to wh and writes it with wh's revision. The
// deliver function keeps a failing endpoint's health on its document with
// field updates, each of which moves the revision on, so a conflict is
// usually not an admin's: the webhook is read again and change re-applied,
// a few times, before a conflict is reported. change may refuse with an
// error, which is returned as is.
func (a *API) saveWebhook(ctx context.Context, wh *herald.Webhook, change func(*herald.Webhook) error) error {
	for try := 1; ; try++ {
		if err := change(wh); err != nil {
			return err
		}
		wh.DeriveSecretDuty()
		err := a.cfg.Webhooks.Replace(ctx, wh)
		a.cfg.Table.Changed(wh.ID)
		if err == nil {
			a.revised(ctx, wh.ID)
		}
		if err == nil || gcerrors.Code(err) != gcerrors.FailedPrecondition || try == saveTries {
			return err
		}
		fresh, err := a.webhook(ctx, wh.ID)
		if err != nil {
			return fmt.Errorf("re-read webhook %s: %w", wh.ID, err)
		}
		*wh = *fresh
	}
}

// revised bumps the webhooks revision after a write of webhook id. The
// write is done: a failed bump is logged, not answered with an error (a
// client retrying a create would create the webhook twice); other processes'
// tables then see the write at the next bump.
func (a *API) revised(ctx context.Context, id string) {
	if err := a.cfg.Revision.Bump(ctx); err != nil {
		a.cfg.Logger.Error("webhooks revision not bumped", "webhook_id", id, "error", err)
	}
}

// saveFailed answers a saveWebhook that failed.
func (a *API) saveFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errOutsideBinding):
		writeDetail(w, http.StatusForbidden, "this token is bound to another tenant or partner")
	case errors.Is(err, herald.ErrNotFound):
		writeDetail(w, http.StatusNotFound, "webhook not found")
	case gcerrors.Code(err) == gcerrors.FailedPrecondition:
		writeDetail(w, http.StatusConflict, "the webhook changed meanwhile; read it and try again")
	default:
		a.storeFailed(w, r, err)
	}
}
