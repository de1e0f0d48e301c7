package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

func TestTokenEndpointIssuesWithBasicAndForm(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "webhooks:write")})
	id, secret := app["client_id"].(string), app["client_secret"].(string)
	grant := url.Values{"grant_type": {"client_credentials"}}

	basic := f.tokenRequest(t, true, id, secret, grant)
	if basic.status != http.StatusOK || basic.body["token_type"] != "Bearer" || basic.body["expires_in"] != 3600.0 ||
		basic.body["scope"] != "webhooks:read webhooks:write" || basic.body["access_token"] == "" {
		t.Fatalf("basic: %d %v", basic.status, basic.body)
	}
	if basic.header.Get("Cache-Control") != "no-store" || basic.header.Get("Pragma") != "no-cache" {
		t.Fatalf("caching headers: %v", basic.header)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	if r := f.tokenRequest(t, false, "", "", form); r.status != http.StatusOK {
		t.Fatalf("form: %d %v", r.status, r.body)
	}
	if r := f.tokenRequest(t, true, id, secret, form); r.status != http.StatusBadRequest || r.body["error"] != "invalid_request" {
		t.Fatalf("both methods: %d %v", r.status, r.body)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "events:publish")})
	id, secret := app["client_id"].(string), app["client_secret"].(string)
	grant := url.Values{"grant_type": {"client_credentials"}}

	wrong := f.tokenRequest(t, true, id, secret+"x", grant)
	if wrong.status != http.StatusUnauthorized || wrong.body["error"] != "invalid_client" ||
		wrong.header.Get("WWW-Authenticate") != `Basic realm="herald"` {
		t.Fatalf("wrong secret: %d %v %v", wrong.status, wrong.body, wrong.header)
	}
	unknown := f.tokenRequest(t, true, "app_0192aaaa", secret, grant)
	if unknown.status != wrong.status || unknown.body["error_description"] != wrong.body["error_description"] {
		t.Fatalf("an unknown client is told apart from a wrong secret: %v vs %v", unknown.body, wrong.body)
	}
	formWrong := f.tokenRequest(t, false, "", "", url.Values{"grant_type": {"client_credentials"},
		"client_id": {id}, "client_secret": {"nope"}})
	if formWrong.status != http.StatusUnauthorized || formWrong.header.Get("WWW-Authenticate") != "" {
		t.Fatalf("form wrong secret: %d %v", formWrong.status, formWrong.header)
	}
	for name, c := range map[string]struct {
		form   url.Values
		status int
		code   string
	}{
		"unsupported grant": {url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
		"missing grant":     {url.Values{}, 400, "invalid_request"},
		"repeated grant":    {url.Values{"grant_type": {"client_credentials", "client_credentials"}}, 400, "invalid_request"},
		"escalating scope":  {url.Values{"grant_type": {"client_credentials"}, "scope": {"admin:write"}}, 400, "invalid_scope"},
		"unknown scope":     {url.Values{"grant_type": {"client_credentials"}, "scope": {"everything"}}, 400, "invalid_scope"},
		"huge body":         {url.Values{"grant_type": {"client_credentials"}, "pad": {strings.Repeat("x", 8<<10)}}, 400, "invalid_request"},
	} {
		r := f.tokenRequest(t, true, id, secret, c.form)
		if r.status != c.status || r.body["error"] != c.code {
			t.Errorf("%s: %d %v", name, r.status, r.body)
		}
	}
	narrowed := f.tokenRequest(t, true, id, secret, url.Values{"grant_type": {"client_credentials"}, "scope": {"events:publish"}})
	if narrowed.status != http.StatusOK || narrowed.body["scope"] != "events:publish" {
		t.Fatalf("narrowed: %d %v", narrowed.status, narrowed.body)
	}
	status, raw := f.do(t, "", "POST", "/oauth/token", map[string]any{"grant_type": "client_credentials"}, nil)
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "invalid_request") {
		t.Fatalf("JSON body: %d %s", status, raw)
	}
}
