package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
)

const (
	idpIssuer   = "https://idp.example.com/"
	idpAudience = "herald-api"
)

// idp is an identity provider: a key pair and a JWKS endpoint serving the
// public halves of its current keys.
type idp struct {
	mu      sync.Mutex
	keys    []jwk.Key // private keys
	fetches int
	srv     *httptest.Server
}

func newIdP(t *testing.T) *idp {
	t.Helper()
	p := &idp{}
	p.rotate(t, "k1")
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.fetches++
		set := jwk.NewSet()
		for _, k := range p.keys {
			pub, err := k.PublicKey()
			if err != nil {
				t.Error(err)
			}
			_ = set.AddKey(pub)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// rotate replaces the provider's keys with a new EC P-256 key named kid.
func (p *idp) rotate(t *testing.T, kid string) jwk.Key {
	t.Helper()
	raw, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := jwk.Import(raw)
	if err != nil {
		t.Fatal(err)
	}
	_ = key.Set(jwk.KeyIDKey, kid)
	_ = key.Set(jwk.AlgorithmKey, jwa.ES256())
	p.mu.Lock()
	p.keys = []jwk.Key{key}
	p.mu.Unlock()
	return key
}

func (p *idp) key() jwk.Key {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys[0]
}

// claims are an external token's claims, good unless changed.
func claims(t *testing.T, extra map[string]any) jwt.Token {
	t.Helper()
	b := jwt.NewBuilder().Issuer(idpIssuer).Audience([]string{idpAudience}).Subject("user-42").
		IssuedAt(t0).Expiration(t0.Add(time.Hour))
	for k, v := range extra {
		b.Claim(k, v)
	}
	tok, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func signWith(t *testing.T, tok jwt.Token, alg jwa.SignatureAlgorithm, key any) string {
	t.Helper()
	s, err := jwt.Sign(tok, jwt.WithKey(alg, key))
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func externalEnv(t *testing.T, p *idp) *env {
	return newEnv(t, auth.Config{JWKSURL: p.srv.URL, JWTIssuer: idpIssuer, JWTAudience: idpAudience})
}

func TestExternalTokenScopesAndTenant(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	e := externalEnv(t, p)
	for name, c := range map[string]struct {
		extra map[string]any
		want  []string
	}{
		"scope string": {map[string]any{"scope": "openid webhooks:read events:publish", "tenant_id": "tnt_x", "partner_id": "ptn_y"},
			[]string{herald.ScopeWebhooksRead, herald.ScopeEventsPublish}},
		"scp array": {map[string]any{"scp": []string{"webhooks:write", "profile"}, "tenant_id": "tnt_x", "partner_id": "ptn_y"},
			[]string{herald.ScopeWebhooksWrite}},
	} {
		pr, err := e.auth.Authenticate(context.Background(), signWith(t, claims(t, c.extra), jwa.ES256(), p.key()))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pr.Kind != auth.KindExternal || pr.Subject != "user-42" || !slices.Equal(pr.Scopes, c.want) ||
			pr.TenantID != "tnt_x" || pr.PartnerID != "ptn_y" {
			t.Errorf("%s: principal = %+v", name, pr)
		}
	}
}

func TestExternalTokenRefusals(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	e := externalEnv(t, p)
	stranger, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	strangerKey, _ := jwk.Import(stranger)
	_ = strangerKey.Set(jwk.KeyIDKey, "k1") // claims to be the provider's key
	pub, _ := p.key().PublicKey()
	var rawPub ecdsa.PublicKey
	if err := jwk.Export(pub, &rawPub); err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&rawPub)
	pubJSON, _ := json.Marshal(pub)
	hsWithPub, err := jwk.Import(der)
	if err != nil {
		t.Fatal(err)
	}
	_ = hsWithPub.Set(jwk.KeyIDKey, "k1")
	hsWithJSON, _ := jwk.Import(pubJSON)
	_ = hsWithJSON.Set(jwk.KeyIDKey, "k1")
	good := map[string]any{"scope": "webhooks:read"}

	for name, token := range map[string]string{
		"wrong issuer": signWith(t, must(t, claims(t, good), jwt.IssuerKey, "https://evil.example.com/"), jwa.ES256(), p.key()),
		"wrong audience": signWith(t, must(t, claims(t, good), jwt.AudienceKey, []string{"other"}), jwa.ES256(),
			p.key()),
		"expired":                signWith(t, must(t, claims(t, good), jwt.ExpirationKey, t0.Add(-time.Minute)), jwa.ES256(), p.key()),
		"key not in JWKS":        signWith(t, claims(t, good), jwa.ES256(), strangerKey),
		"HS256 with public DER":  signWith(t, claims(t, good), jwa.HS256(), hsWithPub),
		"HS256 with public JWK":  signWith(t, claims(t, good), jwa.HS256(), hsWithJSON),
		"alg none":               unsignedToken(t, claims(t, good)),
		"unknown kid, stranger":  signWith(t, claims(t, good), jwa.ES256(), must(t, strangerKey, jwk.KeyIDKey, "k9")),
		"RS256 by unlisted key":  signWith(t, claims(t, good), jwa.RS256(), rsaKey(t, "k1")),
		"herald key, not issued": signWith(t, claims(t, good), jwa.HS256(), []byte("0123456789abcdef0123456789abcdef")),
		// A binding claim that is not a non-empty string fails closed:
		// read as "", it would make the token see every tenant.
		"numeric tenant": signWith(t, claims(t, map[string]any{"scope": "webhooks:read", "tenant_id": 12345}),
			jwa.ES256(), p.key()),
		"array tenant": signWith(t, claims(t, map[string]any{"scope": "webhooks:read", "tenant_id": []string{"tnt_a"}}),
			jwa.ES256(), p.key()),
		"empty partner": signWith(t, claims(t, map[string]any{"scope": "webhooks:read", "partner_id": ""}),
			jwa.ES256(), p.key()),
	} {
		if _, err := e.auth.Authenticate(context.Background(), token); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestExternalKeyRotationPickedUp(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	e := externalEnv(t, p)
	good := map[string]any{"scope": "webhooks:read"}
	if _, err := e.auth.Authenticate(context.Background(), signWith(t, claims(t, good), jwa.ES256(), p.key())); err != nil {
		t.Fatal(err)
	}
	next := p.rotate(t, "k2")
	if _, err := e.auth.Authenticate(context.Background(), signWith(t, claims(t, good), jwa.ES256(), next)); err != nil {
		t.Fatalf("token of the rotated-in key: %v", err)
	}
}

func TestExternalJWKSUnavailable(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	key := p.key()
	p.srv.Close()
	e := newEnv(t, auth.Config{JWKSURL: p.srv.URL, JWTIssuer: idpIssuer, JWTAudience: idpAudience,
		HTTPClient: &http.Client{Timeout: 200 * time.Millisecond}})
	_, err := e.auth.Authenticate(context.Background(), signWith(t, claims(t, nil), jwa.ES256(), key))
	if err == nil || errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("err = %v, want a failure to check", err)
	}
}

func must[T interface{ Set(string, any) error }](t *testing.T, v T, name string, value any) T {
	t.Helper()
	if err := v.Set(name, value); err != nil {
		t.Fatal(err)
	}
	return v
}

func unsignedToken(t *testing.T, tok jwt.Token) string {
	t.Helper()
	s, err := jwt.Sign(tok, jwt.WithInsecureNoSignature())
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func rsaKey(t *testing.T, kid string) jwk.Key {
	t.Helper()
	raw, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, err := jwk.Import(raw)
	if err != nil {
		t.Fatal(err)
	}
	_ = k.Set(jwk.KeyIDKey, kid)
	return k
}

func TestExternalForcedRefreshIsRateLimited(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	e := externalEnv(t, p)
	stranger := rsaKey(t, "unknown")
	token := signWith(t, claims(t, nil), jwa.RS256(), stranger)
	fetches := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.fetches
	}
	for range 3 {
		if _, err := e.auth.Authenticate(context.Background(), token); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := fetches(); n != 2 {
		t.Fatalf("JWKS fetched %d times for three tokens with an unknown kid, want 2 (first fetch, one forced refresh)", n)
	}
	e.clock.Advance(time.Minute)
	_, _ = e.auth.Authenticate(context.Background(), token)
	if n := fetches(); n != 3 {
		t.Fatalf("JWKS fetched %d times after the refresh interval, want 3", n)
	}
}
