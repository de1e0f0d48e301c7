package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/seal"
)

// mask is what reads show for a custom header's value.
const mask = "********"

// storedHeaders reads webhook id's headers from the store itself.
func (f *fixture) storedHeaders(t *testing.T, id string) map[string]string {
	t.Helper()
	wh := &herald.Webhook{ID: id}
	if err := f.webhooks.Get(context.Background(), wh); err != nil {
		t.Fatal(err)
	}
	return wh.Headers
}

// opened returns the stored headers of id, each value opened.
func (f *fixture) opened(t *testing.T, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, v := range f.storedHeaders(t, id) {
		plain, err := f.sealer.Open(context.Background(), v)
		if err != nil {
			t.Fatalf("header %s stored as %q: %v", name, v, err)
		}
		out[name] = plain
	}
	return out
}

// wantMasked fails unless headers holds exactly names, each masked.
func wantMasked(t *testing.T, what string, headers any, names ...string) {
	t.Helper()
	m, _ := headers.(map[string]any)
	if len(m) != len(names) {
		t.Fatalf("%s: headers %v, want %v masked", what, headers, names)
	}
	for _, n := range names {
		if m[n] != mask {
			t.Errorf("%s: header %s = %v, want the mask", what, n, m[n])
		}
	}
}

// Header values are sealed in the store, masked in every read, and sent
// opened.
func TestHeaderValuesSealedAtRestMaskedInReads(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t)
	view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL,
		"headers": map[string]string{"Authorization": "Bearer receiver-s3cret", "X-Team": "ops"}})
	id := view["id"].(string)
	wantMasked(t, "create", view["headers"], "Authorization", "X-Team")

	for name, v := range f.storedHeaders(t, id) {
		if !seal.IsSealed(v) || strings.Contains(v, "s3cret") || strings.Contains(v, "ops") {
			t.Errorf("stored header %s = %q, want it sealed", name, v)
		}
	}
	var got, list map[string]any
	f.do(t, adminToken, "GET", hookPath(id, ""), nil, &got)
	wantMasked(t, "get", got["headers"], "Authorization", "X-Team")
	f.do(t, adminToken, "GET", "/api/v1/admin/webhooks/", nil, &list)
	items, _ := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("list: %v", list)
	}
	wantMasked(t, "list", items[0].(map[string]any)["headers"], "Authorization", "X-Team")

	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, nil); status != http.StatusOK {
		t.Fatalf("test: %d %s", status, raw)
	}
	if h := r.Got(); len(h) != 1 || h[0].Header.Get("Authorization") != "Bearer receiver-s3cret" ||
		h[0].Header.Get("X-Team") != "ops" {
		t.Fatalf("receiver got %v", h)
	}
}

// A PATCH sets the whole map: a masked value keeps the stored value, a new
// one replaces it, a header left out is removed.
func TestHeaderPatchWithMaskKeepsStoredValue(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	view := f.createWebhook(t, adminToken, map[string]any{
		"headers": map[string]string{"Authorization": "Bearer keep-me", "X-Team": "ops", "X-Old": "gone"}})
	id := view["id"].(string)

	var out map[string]any
	body := map[string]any{"headers": map[string]string{"Authorization": mask, "X-Team": "payments"}}
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), body, &out); status != http.StatusOK {
		t.Fatalf("patch: %d %s", status, raw)
	}
	wantMasked(t, "patch", out["headers"], "Authorization", "X-Team")
	if got := f.opened(t, id); len(got) != 2 || got["Authorization"] != "Bearer keep-me" || got["X-Team"] != "payments" {
		t.Fatalf("stored after patch: %v", got)
	}
	// The console sends back what it read: nothing changes.
	body = map[string]any{"name": "renamed", "headers": map[string]string{"Authorization": mask, "X-Team": mask}}
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), body, nil); status != http.StatusOK {
		t.Fatalf("patch back: %d %s", status, raw)
	}
	if got := f.opened(t, id); len(got) != 2 || got["Authorization"] != "Bearer keep-me" || got["X-Team"] != "payments" {
		t.Fatalf("stored after a round trip: %v", got)
	}
}

// A masked value with no stored value to keep is refused.
func TestHeaderMaskWithoutStoredValueIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{"headers": map[string]string{"X-Team": "ops"}})["id"].(string)
	body := map[string]any{"headers": map[string]string{"X-Team": mask, "X-New": mask}}
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), body, nil); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"loc":["body","headers","X-New"]`) {
		t.Fatalf("patch with a mask of a new header: %d %s", status, raw)
	}
	create := map[string]any{"name": "x", "url": "http://127.0.0.1:9/", "headers": map[string]string{"X-Key": mask}}
	if status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", create, nil); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"loc":["body","headers","X-Key"]`) {
		t.Fatalf("create with a masked value: %d %s", status, raw)
	}
}

// Values an earlier release stored in the clear are still sent, shown
// masked, and sealed when a PATCH keeps them.
func TestHeaderPlainValuesOfAnEarlierRelease(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t)
	id := f.createWebhook(t, adminToken, map[string]any{"url": r.URL})["id"].(string)
	ctx := context.Background()
	wh := &herald.Webhook{ID: id}
	if err := f.webhooks.Get(ctx, wh); err != nil {
		t.Fatal(err)
	}
	wh.Headers = map[string]string{"Authorization": "Bearer legacy"}
	if err := f.webhooks.Replace(ctx, wh); err != nil {
		t.Fatal(err)
	}

	var got map[string]any
	f.do(t, adminToken, "GET", hookPath(id, ""), nil, &got)
	wantMasked(t, "get", got["headers"], "Authorization")
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, nil); status != http.StatusOK {
		t.Fatalf("test: %d %s", status, raw)
	}
	if h := r.Got(); len(h) != 1 || h[0].Header.Get("Authorization") != "Bearer legacy" {
		t.Fatalf("receiver got %v", h)
	}
	body := map[string]any{"headers": map[string]string{"authorization": mask}}
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), body, nil); status != http.StatusOK {
		t.Fatalf("patch: %d %s", status, raw)
	}
	if stored := f.storedHeaders(t, id); !seal.IsSealed(stored["authorization"]) {
		t.Fatalf("stored after patch: %v", stored)
	}
	if got := f.opened(t, id); got["authorization"] != "Bearer legacy" {
		t.Fatalf("opened after patch: %v", got)
	}
}
