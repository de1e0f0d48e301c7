package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// maxEventTypeLen bounds the event_type filter, as ingest bounds the type.
const maxEventTypeLen = 255

// logList is the call log's answer: a page of deliveries, newest first, and
// the cursor of the next page (null after the last). The log is paged by
// cursor, not by page number: counting it or skipping to page n would read
// everything before.
type logList struct {
	Items     []deliveryView `json:"items"`
	PerPage   int            `json:"per_page"`
	NextAfter *int64         `json:"next_after"`
}

// deliveryLog is GET /api/v1/admin/deliveries: the call log across webhooks,
// newest first (see store.DeliveryLog), filtered by status, event_type,
// webhook_id, tenant_id, partner_id, since and until, paged by after (the
// id of the last delivery of the previous page) and per_page.
//
// A bound caller's log, and an unbound one filtered by tenant or partner,
// are the deliveries of the webhooks of that scope: its webhooks are read
// (the scope index), then one query per webhook (the by-webhook index) per
// page. The unfiltered log reads the call-log index, one query per shard.
func (a *API) deliveryLog(w http.ResponseWriter, r *http.Request) {
	v := &validationError{}
	q := r.URL.Query()
	f := store.LogFilter{
		Limit:     pageParam(q.Get("per_page"), maxPerPage, defaultPerPage, "per_page", v),
		Status:    parseStatus(q, v),
		EventType: q.Get("event_type"),
	}
	if len(f.EventType) > maxEventTypeLen {
		v.add("must be at most 255 bytes", "string_too_long", "query", "event_type")
	}
	if since, ok := timeParam(q, "since", v); ok {
		f.Since = herald.DeliveryIDAt(since)
	}
	if until, ok := timeParam(q, "until", v); ok {
		f.Before = herald.DeliveryIDAt(until)
	}
	if s := q.Get("after"); s != "" {
		after, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil || after <= 0:
			v.add("must be a positive integer: the id of the last delivery of the previous page", "int_parsing", "query", "after")
		case f.Before == 0 || after < f.Before:
			f.Before = after
		}
	}
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	if !a.logScope(w, r, &f) {
		return
	}
	page, err := store.DeliveryLog(r.Context(), a.cfg.Deliveries, f)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	docs, err := readWhole(r.Context(), a.cfg.Deliveries, page.Deliveries)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	out := logList{Items: make([]deliveryView, 0, len(docs)), PerPage: f.Limit}
	for _, d := range docs {
		out.Items = append(out.Items, viewDelivery(d, r))
	}
	if page.Next != 0 {
		out.NextAfter = &page.Next
	}
	writeJSON(w, http.StatusOK, out)
}

// logScope sets which webhooks' deliveries f reads from the webhook_id,
// tenant_id and partner_id filters, held to the caller's binding (see
// bindFilter): a webhook the caller does not own answers 404, as it does
// everywhere. It reports whether the request may go on.
func (a *API) logScope(w http.ResponseWriter, r *http.Request, f *store.LogFilter) bool {
	q := r.URL.Query()
	tenant, partner := q.Get("tenant_id"), q.Get("partner_id")
	if !bindFilter(w, principal(r), &tenant, &partner) {
		return false
	}
	if id := q.Get("webhook_id"); id != "" {
		wh := &herald.Webhook{ID: id}
		if !a.load(w, r, a.cfg.Webhooks, wh, id, "webhook", func() (string, string) { return wh.TenantID, wh.PartnerID }) {
			return false
		}
		f.ByWebhook = true
		if (tenant == "" || wh.TenantID == tenant) && (partner == "" || wh.PartnerID == partner) {
			f.Webhooks = []string{wh.ID}
		}
		return true
	}
	if tenant == "" && partner == "" {
		return true // an unbound caller's whole log
	}
	hooks, err := ownedKeys(r, a.cfg.Webhooks, func(wh *herald.Webhook) (string, string, string) {
		return wh.ID, wh.TenantID, wh.PartnerID
	}, tenant, partner)
	if err != nil {
		a.storeFailed(w, r, err)
		return false
	}
	f.ByWebhook = true
	for _, wh := range hooks {
		f.Webhooks = append(f.Webhooks, wh.ID)
	}
	return true
}

// parseStatus reads the status filter of a delivery list, "" when absent,
// adding a problem to v when it is not a delivery status.
func parseStatus(q url.Values, v *validationError) herald.Status {
	status := herald.Status(q.Get("status"))
	if status != "" && !slices.Contains(herald.Statuses, status) {
		v.add("must be one of pending, succeeded, failed, paused", "literal_error", "query", "status")
		return ""
	}
	return status
}

// timeParam reads the RFC 3339 time of query parameter name, reporting
// whether there is one; a malformed one adds a problem to v.
func timeParam(q url.Values, name string, v *validationError) (time.Time, bool) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		v.add("must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z", "datetime_parsing", "query", name)
		return time.Time{}, false
	}
	return t, true
}
