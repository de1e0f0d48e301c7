package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/store/storetest"
)

// logEntry is a delivery as the call log shows it.
type logEntry struct {
	ID        int64         `json:"id"`
	WebhookID string        `json:"webhook_id"`
	EventType string        `json:"event_type"`
	Status    herald.Status `json:"status"`
	URL       string        `json:"url"`
	Match     *herald.Match `json:"match"`
}

type logPage struct {
	Items     []logEntry `json:"items"`
	PerPage   int        `json:"per_page"`
	NextAfter *int64     `json:"next_after"`
}

// logWorld is a call log to read: webhooks of several scopes and their
// deliveries, one a minute, of several statuses and event types.
type logWorld struct {
	f     *fixture
	hooks map[scope]string
	all   []*herald.Delivery // newest first
}

var logStatuses = []herald.Status{herald.StatusSucceeded, herald.StatusFailed, herald.StatusPending}

func newLogWorld(t *testing.T, deliveries *docstore.Collection) *logWorld {
	t.Helper()
	w := &logWorld{f: newAuthFixture(t, admin.Config{Deliveries: deliveries}), hooks: map[scope]string{}}
	ctx := context.Background()
	for _, s := range []scope{{"", ""}, {"tnt_a", ""}, {"tnt_a", "ptn_a"}, {"tnt_b", ""}} {
		wh := &herald.Webhook{ID: herald.NewWebhookID(), Name: "log " + s.String(), URL: "https://example.com/" + s.tenant,
			Enabled: true, TenantID: s.tenant, PartnerID: s.partner}
		wh.Derive()
		if err := w.f.webhooks.Create(ctx, wh); err != nil {
			t.Fatal(err)
		}
		w.hooks[s] = wh.ID
	}
	scopes := []scope{{"", ""}, {"tnt_a", ""}, {"tnt_a", "ptn_a"}, {"tnt_b", ""}}
	for i := range 24 {
		at := t0.Add(time.Duration(i) * time.Minute)
		hook := w.hooks[scopes[i%4]]
		d := &herald.Delivery{ID: herald.DeliveryIDFor(fmt.Sprint("evt_", i), hook, at, 0), WebhookID: hook,
			EventID: fmt.Sprint("evt_", i), EventType: []string{"order.created", "secret.rotated", "file.shared"}[i%3],
			Status: logStatuses[i%3/2+i%2], CreatedMS: herald.Millis(at), UpdatedMS: herald.Millis(at),
			URL: "https://example.com/" + scopes[i%4].tenant, Match: &herald.Match{Pattern: "*.*"}}
		d.Derive(at, 0) // as the lifecycle does: the indexed fields
		if err := w.f.deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		w.all = append([]*herald.Delivery{d}, w.all...)
	}
	return w
}

// read follows the log from query page by page (per_page 5) and returns
// every delivery's id, failing on anything but 200.
func (w *logWorld) read(t *testing.T, token string, query url.Values) []int64 {
	t.Helper()
	query.Set("per_page", "5")
	var ids []int64
	for pages := 0; ; pages++ {
		var p logPage
		if s, raw := w.f.do(t, token, "GET", "/api/v1/admin/deliveries?"+query.Encode(), nil, &p); s != http.StatusOK {
			t.Fatalf("log %s: %d %s", query.Encode(), s, raw)
		}
		if len(p.Items) > 5 || p.PerPage != 5 || pages > 30 {
			t.Fatalf("log %s: page of %d items, per_page %d, page %d", query.Encode(), len(p.Items), p.PerPage, pages)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
			if it.URL == "" || it.Match == nil || it.Match.Pattern != "*.*" {
				t.Errorf("delivery %d shows url %q, match %+v", it.ID, it.URL, it.Match)
			}
		}
		if p.NextAfter == nil {
			return ids
		}
		query.Set("after", fmt.Sprint(*p.NextAfter))
	}
}

// want returns the ids of the deliveries keep holds for, newest first.
func (w *logWorld) want(keep func(d *herald.Delivery) bool) []int64 {
	out := []int64{}
	for _, d := range w.all {
		if keep(d) {
			out = append(out, d.ID)
		}
	}
	return out
}

// TestDeliveryLog: GET /api/v1/admin/deliveries shows every webhook's
// deliveries newest first with their url and match, page by page through
// next_after, filtered by status, event type, webhook, tenant, partner and
// time (each alone and together), on mem:// and on bolt:// (local mode's
// indexes).
func TestDeliveryLog(t *testing.T) {
	t.Parallel()
	t.Run("mem", func(t *testing.T) {
		t.Parallel()
		deliveryLog(t, heraldtest.Collection(t))
	})
	t.Run("bolt", func(t *testing.T) {
		t.Parallel()
		deliveryLog(t, boltDeliveries(t))
	})
}

func boltDeliveries(t *testing.T) *docstore.Collection {
	return storetest.Bolt(t, filepath.Join(t.TempDir(), "herald.db"), store.Deliveries)
}

func deliveryLog(t *testing.T, deliveries *docstore.Collection) {
	w := newLogWorld(t, deliveries)
	hookA, hookAP := w.hooks[scope{"tnt_a", ""}], w.hooks[scope{"tnt_a", "ptn_a"}]
	since, until := t0.Add(5*time.Minute), t0.Add(17*time.Minute)
	in := func(d *herald.Delivery) bool {
		at := herald.FromMillis(d.CreatedMS)
		return !at.Before(since) && at.Before(until)
	}
	for _, c := range []struct {
		name  string
		query url.Values
		keep  func(d *herald.Delivery) bool
	}{
		{"all", url.Values{}, func(*herald.Delivery) bool { return true }},
		{"status", url.Values{"status": {"failed"}}, func(d *herald.Delivery) bool { return d.Status == herald.StatusFailed }},
		{"event type", url.Values{"event_type": {"secret.rotated"}}, func(d *herald.Delivery) bool { return d.EventType == "secret.rotated" }},
		{"status and event type", url.Values{"status": {"succeeded"}, "event_type": {"order.created"}}, func(d *herald.Delivery) bool {
			return d.Status == herald.StatusSucceeded && d.EventType == "order.created"
		}},
		{"webhook", url.Values{"webhook_id": {hookA}}, func(d *herald.Delivery) bool { return d.WebhookID == hookA }},
		{"webhook and event type", url.Values{"webhook_id": {hookA}, "event_type": {"file.shared"}}, func(d *herald.Delivery) bool {
			return d.WebhookID == hookA && d.EventType == "file.shared"
		}},
		{"webhook of another tenant than asked", url.Values{"webhook_id": {hookA}, "tenant_id": {"tnt_b"}},
			func(*herald.Delivery) bool { return false }},
		{"tenant", url.Values{"tenant_id": {"tnt_a"}}, func(d *herald.Delivery) bool { return d.WebhookID == hookA || d.WebhookID == hookAP }},
		{"partner", url.Values{"partner_id": {"ptn_a"}}, func(d *herald.Delivery) bool { return d.WebhookID == hookAP }},
		{"tenant and status", url.Values{"tenant_id": {"tnt_a"}, "status": {"pending"}}, func(d *herald.Delivery) bool {
			return (d.WebhookID == hookA || d.WebhookID == hookAP) && d.Status == herald.StatusPending
		}},
		{"tenant and event type", url.Values{"tenant_id": {"tnt_a"}, "event_type": {"order.created"}}, func(d *herald.Delivery) bool {
			return (d.WebhookID == hookA || d.WebhookID == hookAP) && d.EventType == "order.created"
		}},
		{"since", url.Values{"since": {since.Format(time.RFC3339)}}, func(d *herald.Delivery) bool { return !herald.FromMillis(d.CreatedMS).Before(since) }},
		{"until", url.Values{"until": {until.Format(time.RFC3339)}}, func(d *herald.Delivery) bool { return herald.FromMillis(d.CreatedMS).Before(until) }},
		{"since and until", url.Values{"since": {since.Format(time.RFC3339)}, "until": {until.Format(time.RFC3339)}}, in},
		{"tenant since and until", url.Values{"tenant_id": {"tnt_a"}, "since": {since.Format(time.RFC3339)}, "until": {until.Format(time.RFC3339)}},
			func(d *herald.Delivery) bool { return in(d) && (d.WebhookID == hookA || d.WebhookID == hookAP) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, want := w.read(t, adminToken, c.query), w.want(c.keep)
			if !slices.Equal(got, want) {
				t.Errorf("log %s:\n got %v\nwant %v", c.query.Encode(), got, want)
			}
		})
	}
	if len(w.want(in)) == 0 || len(w.all) != 24 {
		t.Fatal("the world holds no deliveries in the window")
	}
}

// TestDeliveryLogOfABoundCaller: a token bound to a tenant sees the
// deliveries of its own webhooks only (not those of its tenant's partner
// scope, nor of the unscoped webhook its tenant's events reach); another
// tenant's webhook is 404 and another tenant 403; bad parameters are 422.
func TestDeliveryLogOfABoundCaller(t *testing.T) {
	t.Parallel()
	w := newLogWorld(t, heraldtest.Collection(t))
	tok := w.f.boundToken(t, scope{"tnt_a", ""})
	hookA := w.hooks[scope{"tnt_a", ""}]
	own := w.want(func(d *herald.Delivery) bool { return d.WebhookID == hookA })
	if got := w.read(t, tok, url.Values{}); !slices.Equal(got, own) || len(own) == 0 {
		t.Errorf("bound log: %v, want %v", got, own)
	}
	if got := w.read(t, tok, url.Values{"webhook_id": {hookA}}); !slices.Equal(got, own) {
		t.Errorf("bound log of its webhook: %v, want %v", got, own)
	}
	for path, want := range map[string]int{
		"?webhook_id=" + w.hooks[scope{"tnt_b", ""}]:      http.StatusNotFound,
		"?webhook_id=" + w.hooks[scope{"tnt_a", "ptn_a"}]: http.StatusNotFound,
		"?webhook_id=" + w.hooks[scope{"", ""}]:           http.StatusNotFound,
		"?tenant_id=tnt_b":                                http.StatusForbidden,
	} {
		if s, raw := w.f.do(t, tok, "GET", "/api/v1/admin/deliveries"+path, nil, nil); s != want {
			t.Errorf("bound log%s: %d %s, want %d", path, s, raw, want)
		}
	}
	for _, q := range []string{"status=bogus", "since=yesterday", "until=2026-13-01T00:00:00Z", "after=-1", "after=x",
		"per_page=0", "per_page=101"} {
		if s, raw := w.f.do(t, adminToken, "GET", "/api/v1/admin/deliveries?"+q, nil, nil); s != http.StatusUnprocessableEntity {
			t.Errorf("log ?%s: %d %s, want 422", q, s, raw)
		}
	}
}

// TestDeliveryShowsItsURLAndMatch: the per-webhook list and the detail show
// a delivery's url and match as recorded.
func TestDeliveryShowsItsURLAndMatch(t *testing.T) {
	t.Parallel()
	w := newLogWorld(t, heraldtest.Collection(t))
	d := w.all[0]
	var list struct {
		Items []logEntry `json:"items"`
	}
	var one logEntry
	base := "/api/v1/admin/webhooks/" + d.WebhookID + "/deliveries"
	if s, raw := w.f.do(t, adminToken, "GET", base, nil, &list); s != http.StatusOK || len(list.Items) == 0 {
		t.Fatalf("list: %d %s", s, raw)
	}
	if s, raw := w.f.do(t, adminToken, "GET", fmt.Sprint(base, "/", d.ID), nil, &one); s != http.StatusOK {
		t.Fatalf("detail: %d %s", s, raw)
	}
	for _, got := range []logEntry{list.Items[0], one} {
		if got.ID != d.ID || got.URL != d.URL || got.Match == nil || got.Match.Pattern != "*.*" {
			t.Errorf("shown %+v, want url %s and match pattern *.*", got, d.URL)
		}
	}
}
