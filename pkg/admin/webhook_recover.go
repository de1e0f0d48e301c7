package admin

import (
	"errors"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// recoverInput is the body of POST …/recover.
type recoverInput struct {
	// Since is the start of the window of creation times (RFC 3339).
	// Required.
	Since *string `json:"since"`
	// Until is its end (RFC 3339), after Since. Defaults to now.
	Until *string `json:"until"`
}

// window is a checked recoverInput.
type recoverWindow struct{ since, until time.Time }

// check validates in against now: since is required, until after it, and
// neither in the future.
func (in *recoverInput) check(now time.Time, v *validationError) recoverWindow {
	win := recoverWindow{until: now}
	if in.Since == nil {
		v.add("field required", "missing", "body", "since")
	} else {
		win.since = pastTime(*in.Since, now, "since", v)
	}
	if in.Until != nil {
		win.until = pastTime(*in.Until, now, "until", v)
		if !win.since.IsZero() && !win.until.IsZero() && !win.until.After(win.since) {
			v.add("must be after since", "value_error", "body", "until")
		}
	}
	return win
}

// pastTime parses the RFC 3339 time s of field, which must not be after now.
func pastTime(s string, now time.Time, field string, v *validationError) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		v.add("must be an RFC 3339 date-time", "datetime_parsing", "body", field)
		return time.Time{}
	case t.After(now):
		v.add("must not be in the future", "value_error", "body", field)
		return time.Time{}
	}
	return t
}

// recoverDeliveries attempts again every failed delivery of a webhook
// created in a window (by the id's time: when its event was ingested),
// oldest first, no more at once than the webhook's max_in_flight. It writes
// the recovery (store.Recovery) for the retry-scheduler to carry out, so
// that it goes on after a restart, and answers 202 with the number of
// failed deliveries in the window. One recovery of a webhook runs at a
// time: another while it does is 409.
func (a *API) recoverDeliveries(w http.ResponseWriter, r *http.Request) {
	var in recoverInput
	v := &validationError{}
	decodeBody(r, &in, v)
	now := a.cfg.Now()
	var win recoverWindow
	if v.empty() {
		win = in.check(now, v)
	}
	wh, ok := a.loadValidWebhook(w, r, v)
	if !ok {
		return
	}
	after, last := store.WindowIDs(win.since, win.until)
	n, err := store.FailedInWindow(r.Context(), a.cfg.Deliveries, wh.ID, after, last)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	if n > 0 {
		limit := min(herald.PositiveOr(wh.MaxInFlight, herald.DefaultMaxInFlight), herald.MaxMaxInFlight)
		_, err := store.StartRecovery(r.Context(), a.cfg.ScheduleTable, wh.ID, win.since, win.until, limit, now)
		switch {
		case errors.Is(err, store.ErrRecovering):
			writeDetail(w, http.StatusConflict, "a recovery of this webhook is in progress; try again when it is done")
			return
		case err != nil:
			a.storeFailed(w, r, err)
			return
		}
		if a.cfg.OnSchedule != nil {
			a.cfg.OnSchedule(now)
		}
	}
	a.cfg.Logger.Info("recovery started", "webhook_id", wh.ID, "since", win.since, "until", win.until, "failed", n)
	writeJSON(w, http.StatusAccepted, map[string]int{"recovering": n})
}
