package probe

import (
	"net/url"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/local/localtest"
)

// signingKey is the key of the tokens /oauth/token issues in the systems
// these tests start; knowing it lets a probe sign a token that is valid in
// every way but one (expired, wrong audience, …).
const signingKey = "probe-token-signing-key-0123456789abcdef"

// adminToken is the bootstrap token of the systems these tests start.
const adminToken = "probe-admin-token-0123456789abcdef0123"

// receiverHost is the loopback address the receivers listen on, the only
// private range the systems allow (HERALD_ALLOWED_TARGET_CIDRS).
const receiverHost = "127.0.0.2"

// system is a running local-mode Herald and a client of its admin API.
type system struct {
	*client
}

// startSystem starts local mode on its real drivers (bolt:// collections,
// a journaled memq:// ingest topic) in a temporary data dir, with private
// targets refused except receiverHost and a tiny retry schedule; it stops
// when the test ends.
func startSystem(t testing.TB) *system {
	t.Helper()
	sys := localtest.Start(t, map[string]string{
		"HERALD_ADMIN_TOKEN":           adminToken,
		"HERALD_TOKEN_SIGNING_KEY":     signingKey,
		"HERALD_ALLOW_PRIVATE_TARGETS": "false",
		"HERALD_ALLOWED_TARGET_CIDRS":  receiverHost + "/32",
		"HERALD_RETRY_SCHEDULE":        "1s",
		"HERALD_DELIVERY_TIMEOUT":      "2s",
		"HERALD_LOG_LEVEL":             "error",
	}, localtest.Options{})
	return &system{client: newClient(sys.URL)}
}

// app is an application created through the API, with a token of all its
// scopes.
type app struct {
	ID, Secret, Token string
	TenantID          string
	PartnerID         string
	Scopes            []string
}

// name describes the application's binding and scopes, for reports.
func (a *app) name() string {
	b := "unbound"
	switch {
	case a.TenantID != "" && a.PartnerID != "":
		b = a.TenantID + "+" + a.PartnerID
	case a.TenantID != "":
		b = a.TenantID
	case a.PartnerID != "":
		b = a.PartnerID
	}
	return b + "[" + strings.Join(a.Scopes, " ") + "]"
}

// createApp creates an application as the bootstrap admin and issues it a
// token.
func (s *system) createApp(t testing.TB, tenant, partner string, scopes ...string) *app {
	t.Helper()
	body := map[string]any{"name": "probe app", "scopes": scopes}
	if tenant != "" {
		body["tenant_id"] = tenant
	}
	if partner != "" {
		body["partner_id"] = partner
	}
	var out struct {
		ID           string `json:"id"`
		ClientSecret string `json:"client_secret"`
	}
	if a := s.do(adminToken, "POST", "/api/v1/admin/applications/", body); a.status != 201 || a.decode(&out) != nil {
		t.Fatalf("create application: %d %s", a.status, a.body)
	}
	ap := &app{ID: out.ID, Secret: out.ClientSecret, TenantID: tenant, PartnerID: partner, Scopes: scopes}
	ap.Token = s.mustToken(t, ap.ID, ap.Secret)
	return ap
}

// mustToken runs the client-credentials grant for id and secret.
func (s *system) mustToken(t testing.TB, id, secret string) string {
	t.Helper()
	tok, a := s.token(id, secret)
	if tok == "" {
		t.Fatalf("token for %s: %d %s", id, a.status, a.body)
	}
	return tok
}

// token runs the client-credentials grant; "" when refused.
func (s *system) token(id, secret string) (string, answer) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	a := s.form("/oauth/token", form)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if a.status != 200 || a.decode(&out) != nil {
		return "", a
	}
	return out.AccessToken, a
}
