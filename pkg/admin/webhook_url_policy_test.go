package admin_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestWebhookURLPolicy: create and patch apply the deployment's target
// policy to the URL and answer 422 with the reason at body.url. (The fixture
// allows private targets; netguard's tests cover refusing them.)
func TestWebhookURLPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{RequireHTTPS: true,
		AllowedTargets: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}})
	type detail struct {
		Detail []struct {
			Loc []any  `json:"loc"`
			Msg string `json:"msg"`
		} `json:"detail"`
	}
	create := func(url string) (int, detail) {
		var d detail
		status, _ := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/",
			map[string]any{"name": "x", "url": url, "validate": false}, &d)
		return status, d
	}
	for url, want := range map[string]int{
		"https://example.com/hook":  http.StatusCreated,
		"http://127.0.0.1:9/hook":   http.StatusCreated, // private, and private targets are allowed
		"http://203.0.113.7/hook":   http.StatusCreated, // allow-listed
		"http://example.com/hook":   http.StatusUnprocessableEntity,
		"http://93.184.216.34/hook": http.StatusUnprocessableEntity,
		"http://0x7f.1/hook":        http.StatusUnprocessableEntity,
	} {
		status, d := create(url)
		if status != want {
			t.Errorf("create with %s: %d, want %d", url, status, want)
			continue
		}
		if want == http.StatusUnprocessableEntity && (len(d.Detail) != 1 || len(d.Detail[0].Loc) != 2 ||
			d.Detail[0].Loc[1] != "url" || d.Detail[0].Msg == "") {
			t.Errorf("create with %s: detail %+v, want one problem at body.url", url, d)
		}
	}
	if _, d := create("http://example.com/"); len(d.Detail) == 0 || !strings.Contains(d.Detail[0].Msg, "must use https") {
		t.Errorf("plain http refusal says %+v, want \"must use https\"", d)
	}
	hook := f.createWebhook(t, adminToken, map[string]any{"url": "https://example.com/hook"})
	var d detail
	if status, _ := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+hook["id"].(string),
		map[string]any{"url": "http://example.com/hook"}, &d); status != http.StatusUnprocessableEntity {
		t.Errorf("patch to plain http: %d, want 422", status)
	}
}
