package probe

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	_ "gocloud.dev/secrets/localsecrets" // the data dir's base64key:// keeper

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/local"
	_ "github.com/heraldhq/herald/pkg/memq" // memq:// topics
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

var systems atomic.Int64

// system is a running local-mode Herald and a client of its admin API.
type system struct {
	*client
	sys *local.System
}

// startSystem starts local mode on its real drivers (bolt:// collections,
// a journaled memq:// ingest topic) in a temporary data dir, with private
// targets refused except receiverHost and a tiny retry schedule; it stops
// when the test ends.
func startSystem(t testing.TB) *system {
	t.Helper()
	n := systems.Add(1)
	env := map[string]string{
		"HERALD_ADDR":                  "127.0.0.1:0",
		"HERALD_ADMIN_TOKEN":           adminToken,
		"HERALD_TOKEN_SIGNING_KEY":     signingKey,
		"HERALD_DATA_DIR":              t.TempDir(),
		"HERALD_ALLOW_PRIVATE_TARGETS": "false",
		"HERALD_ALLOWED_TARGET_CIDRS":  receiverHost + "/32",
		"HERALD_RETRY_SCHEDULE":        "1s",
		"HERALD_DELIVERY_TIMEOUT":      "2s",
		"HERALD_INGEST_TOPIC":          fmt.Sprintf("memq://probe-ingest-%d", n),
		"HERALD_INGEST_SUBSCRIPTION":   fmt.Sprintf("memq://probe-ingest-%d", n),
		"HERALD_DELIVER_TOPIC":         fmt.Sprintf("memq://probe-deliver-%d", n),
		"HERALD_DELIVER_SUBSCRIPTION":  fmt.Sprintf("memq://probe-deliver-%d", n),
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, config.Local)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sys, err := local.Start(context.Background(), cfg, local.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sys.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &system{client: newClient("http://" + sys.Addr), sys: sys}
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
