package auth_test

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
)

var allButAdmin = []string{herald.ScopeWebhooksRead, herald.ScopeWebhooksWrite, herald.ScopeEventsPublish}

func TestIssueAuthenticateRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: allButAdmin, TenantID: "tnt_a", PartnerID: "ptn_b",
		TokenLifetime: 10 * time.Minute})
	tok := e.issue(t, app.ID, secret, "webhooks:read events:publish")
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 600 || tok.Scope != "webhooks:read events:publish" {
		t.Fatalf("token = %+v", tok)
	}
	p, err := e.auth.Authenticate(context.Background(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := auth.Principal{Subject: app.ID, Kind: auth.KindApplication,
		Scopes: []string{herald.ScopeWebhooksRead, herald.ScopeEventsPublish}, TenantID: "tnt_a", PartnerID: "ptn_b"}
	if p.Subject != want.Subject || p.Kind != want.Kind || !slices.Equal(p.Scopes, want.Scopes) ||
		p.TenantID != want.TenantID || p.PartnerID != want.PartnerID {
		t.Fatalf("principal = %+v, want %+v", p, want)
	}
	// The claims the brief asks for, read without verification.
	parsed, err := jwt.ParseInsecure([]byte(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := parsed.Issuer()
	aud, _ := parsed.Audience()
	jti, _ := parsed.JwtID()
	exp, _ := parsed.Expiration()
	if iss != "herald" || !slices.Equal(aud, []string{"herald-admin"}) || jti == "" || !exp.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("claims iss=%q aud=%v jti=%q exp=%v", iss, aud, jti, exp)
	}
}

func TestIssueDefaultsToAllScopesAndDefaultLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: allButAdmin})
	tok := e.issue(t, app.ID, secret, "")
	if tok.Scope != strings.Join(allButAdmin, " ") || tok.ExpiresIn != int64(herald.DefaultTokenLifetime/time.Second) {
		t.Fatalf("token = %+v", tok)
	}
}

func TestIssueRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: []string{herald.ScopeWebhooksRead}})
	for name, c := range map[string]struct {
		id, secret, scope string
		want              error
	}{
		"wrong secret":     {app.ID, auth.NewSecret(), "", auth.ErrInvalidClient},
		"empty secret":     {app.ID, "", "", auth.ErrInvalidClient},
		"unknown client":   {"app_nope", secret, "", auth.ErrInvalidClient},
		"scope escalation": {app.ID, secret, "webhooks:read admin:write", auth.ErrInvalidScope},
		"unknown scope":    {app.ID, secret, "root", auth.ErrInvalidScope},
	} {
		if _, err := e.auth.Issue(context.Background(), c.id, c.secret, c.scope); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

func TestExpiredTokenRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: allButAdmin, TokenLifetime: time.Minute})
	tok := e.issue(t, app.ID, secret, "")
	e.clock.Advance(59 * time.Second)
	if _, err := e.auth.Authenticate(context.Background(), tok.AccessToken); err != nil {
		t.Fatalf("before exp: %v", err)
	}
	e.clock.Advance(2 * time.Second)
	if _, err := e.auth.Authenticate(context.Background(), tok.AccessToken); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("after exp: %v", err)
	}
}

func TestForgedTokensRefused(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	e := newEnv(t, auth.Config{SigningKey: key})
	app, secret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes})
	good := e.issue(t, app.ID, secret, "").AccessToken

	claims := func(mod func(b *jwt.Builder)) jwt.Token {
		b := jwt.NewBuilder().Issuer("herald").Audience([]string{"herald-admin"}).Subject(app.ID).
			IssuedAt(t0).Expiration(t0.Add(time.Hour)).Claim("scope", "admin:write")
		if mod != nil {
			mod(b)
		}
		tok, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	sign := func(tok jwt.Token, k []byte) string {
		s, err := jwt.Sign(tok, jwt.WithKey(jwa.HS256(), k))
		if err != nil {
			t.Fatal(err)
		}
		return string(s)
	}
	unsigned, err := jwt.Sign(claims(nil), jwt.WithInsecureNoSignature())
	if err != nil {
		t.Fatal(err)
	}
	head, payload, _ := strings.Cut(good, ".")
	payload, sig, _ := strings.Cut(payload, ".")
	flipped := []byte(sig)
	flipped[3] ^= 1
	if flipped[3] == sig[3] || !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", rune(flipped[3])) {
		flipped[3] = 'A'
		if sig[3] == 'A' {
			flipped[3] = 'B'
		}
	}
	// The signature's last character carries two unused bits (32 bytes in 43
	// characters): setting one spells the same signature non-canonically.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, sig[len(sig)-1])
	respelled := sig[:len(sig)-1] + string(alphabet[last|1])
	derived, _ := hkdf.Key(sha256.New, []byte(adminToken), nil, "herald token signing key v1", 32)

	for name, token := range map[string]string{
		"tampered signature":  head + "." + payload + "." + string(flipped),
		"respelled signature": head + "." + payload + "." + respelled,
		"tampered payload":    head + "." + strings.Replace(payload, payload[10:14], "AAAA", 1) + "." + sig,
		"other key":           sign(claims(nil), []byte("another key, 32 bytes long......")),
		"derived key unused":  sign(claims(nil), derived),
		"alg none":            string(unsigned),
		"wrong audience":      sign(claims(func(b *jwt.Builder) { b.Audience([]string{"someone-else"}) }), key),
		"wrong issuer":        sign(claims(func(b *jwt.Builder) { b.Issuer("evil") }), key),
		"no exp":              sign(claims(func(b *jwt.Builder) { b.Expiration(time.Time{}) }), key),
		"not yet valid":       sign(claims(func(b *jwt.Builder) { b.NotBefore(t0.Add(time.Hour)) }), key),
		"garbage":             "not.a.jwt",
	} {
		if _, err := e.auth.Authenticate(context.Background(), token); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := e.auth.Authenticate(context.Background(), sign(claims(nil), key)); err != nil {
		t.Fatalf("control token refused: %v", err)
	}
}

func TestDerivedSigningKeyFollowsAdminToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes})
	tok := e.issue(t, app.ID, secret, "").AccessToken
	other, err := auth.New(auth.Config{AdminToken: "a-different-admin-token", Applications: e.apps, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Authenticate(context.Background(), tok); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("token verified under another admin token's key: %v", err)
	}
	if _, err := auth.New(auth.Config{AdminToken: "x", SigningKey: []byte("short")}); err == nil {
		t.Fatal("a short signing key was accepted")
	}
}

func TestDeletedApplicationTokenStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes})
	tok := e.issue(t, app.ID, secret, "").AccessToken
	if err := e.apps.Delete(context.Background(), &herald.Application{ID: app.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.Authenticate(context.Background(), tok); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("err = %v", err)
	}
}

func TestNarrowedApplicationScopesApplyAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: allButAdmin})
	tok := e.issue(t, app.ID, secret, "").AccessToken
	err := e.apps.Actions().Update(&herald.Application{ID: app.ID}, docstore.Mods{"scopes": []string{herald.ScopeWebhooksRead}, "tenant_id": "tnt_new"}).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.auth.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Scopes, []string{herald.ScopeWebhooksRead}) || p.TenantID != "tnt_new" {
		t.Fatalf("principal = %+v", p)
	}
}

func TestSecretRotationGrace(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, oldSecret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes})
	newSecret := auth.NewSecret()
	newHash, _ := auth.HashSecret(newSecret)
	err := e.apps.Actions().Update(&herald.Application{ID: app.ID}, docstore.Mods{
		"secret_hash": newHash, "previous_secret_hash": app.SecretHash,
		"previous_secret_until_ms": herald.Millis(t0.Add(time.Hour)),
	}).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.issue(t, app.ID, newSecret, "")
	e.issue(t, app.ID, oldSecret, "")
	e.clock.Advance(time.Hour)
	if _, err := e.auth.Issue(context.Background(), app.ID, oldSecret, ""); !errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("old secret after grace: %v", err)
	}
	e.issue(t, app.ID, newSecret, "")
}

func TestExpiredSecretRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes, SecretExpiresMS: herald.Millis(t0.Add(time.Minute))})
	e.issue(t, app.ID, secret, "")
	e.clock.Advance(time.Minute)
	if _, err := e.auth.Issue(context.Background(), app.ID, secret, ""); !errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("expired secret: %v", err)
	}
}

func TestAdminTokenStillWorks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	p, err := e.auth.Authenticate(context.Background(), adminToken)
	if err != nil || p.Kind != auth.KindAdminToken || !slices.Equal(p.Scopes, herald.AllScopes) {
		t.Fatalf("admin: %+v %v", p, err)
	}
	if _, err := e.auth.Authenticate(context.Background(), ""); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("empty: %v", err)
	}
}

func TestStoreFailureIsNotAVerdict(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{})
	app, secret := e.addApp(t, &herald.Application{Scopes: herald.AllScopes})
	tok := e.issue(t, app.ID, secret, "").AccessToken
	if err := e.apps.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.Authenticate(context.Background(), tok); err == nil || errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("Authenticate with the store down: %v", err)
	}
	if _, err := e.auth.Issue(context.Background(), app.ID, secret, ""); err == nil ||
		errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("Issue with the store down: %v", err)
	}
}
