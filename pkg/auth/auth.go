package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/heraldhq/herald/pkg/herald"
)

// ErrUnauthenticated is returned for a token that is missing, malformed,
// expired, revoked or not Herald's to accept.
var ErrUnauthenticated = errors.New("auth: not authenticated")

// errNotOurs says a token is not a valid Herald-issued token, so the next
// kind of token is tried.
var errNotOurs = errors.New("auth: not a Herald token")

// Authenticator turns bearer tokens into principals and issues tokens to
// applications. It is safe for concurrent use.
type Authenticator struct {
	cfg   Config
	admin [sha256.Size]byte
	// dummyHash is verified against for unknown clients, so that Issue
	// takes as long for them as for a wrong secret.
	dummyHash string
	// hashing holds a slot per client-secret check in progress; inFlight
	// counts them for onHash, a test's hook called as each one starts.
	hashing  chan struct{}
	inFlight *atomic.Int64
	onHash   func(inFlight int)
	// limiter throttles token requests per client id.
	limiter *clientLimiter
	// jwks is nil unless Config.JWKSURL is set.
	jwks *keySource
}

// New returns an Authenticator for cfg. With a JWKSURL it starts fetching
// the JWKS in the background; Close stops that.
func New(cfg Config) (*Authenticator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	dummy, err := HashSecret(NewSecret())
	if err != nil {
		return nil, err
	}
	a := &Authenticator{cfg: cfg, admin: sha256.Sum256([]byte(cfg.AdminToken)), dummyHash: dummy,
		hashing: make(chan struct{}, cfg.MaxHashing), inFlight: new(atomic.Int64),
		limiter: newClientLimiter(cfg.IssueEvery, cfg.IssueBurst, cfg.MaxThrottledClients)}
	if cfg.JWKSURL != "" {
		a.jwks = newKeySource(cfg)
	}
	return a, nil
}

// Close stops the background refresh of the external JWKS, if any.
func (a *Authenticator) Close() error {
	if a.jwks == nil {
		return nil
	}
	return a.jwks.close()
}

// Authenticate returns the principal token stands for, or
// ErrUnauthenticated. It tries, in order: the bootstrap admin token, a token
// Herald issued to an application, a token of the external identity
// provider. Any other error is a failure to check (the applications store or
// the JWKS is unavailable), not a verdict on the token.
//
// The admin token is compared as a SHA-256 digest in constant time, so
// neither its content nor its length leaks through timing.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*Principal, error) {
	got := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(got[:], a.admin[:]) == 1 {
		return &Principal{Subject: "admin", Kind: KindAdminToken, Scopes: slices.Clone(herald.AllScopes)}, nil
	}
	if token == "" {
		return nil, ErrUnauthenticated
	}
	if a.cfg.Applications != nil {
		p, err := a.applicationPrincipal(ctx, token)
		if !errors.Is(err, errNotOurs) {
			return p, err
		}
	}
	if a.jwks != nil {
		return a.externalPrincipal(ctx, token)
	}
	return nil, ErrUnauthenticated
}

// parseToken verifies token with key (a key or a key provider) and checks
// what every bearer token Herald accepts must carry, whoever issued it: exp
// and nbf by the injected clock, iss and aud as given, and a subject.
//
// Each of the token's three parts must be canonical base64url: the JWT
// library's decoder ignores the unused low bits of a part's last character,
// so without this check several spellings of one signature would verify.
func (a *Authenticator) parseToken(token string, key jwt.ParseOption, issuer, audience string) (jwt.Token, error) {
	if !canonicalJWS(token) {
		return nil, errors.New("auth: not a compact JWS in canonical base64url")
	}
	return jwt.ParseString(token,
		key,
		jwt.WithClock(jwt.ClockFunc(a.cfg.Now)),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithRequiredClaim(jwt.ExpirationKey),
		jwt.WithRequiredClaim(jwt.SubjectKey),
	)
}

// canonicalJWS reports whether token is three parts of canonical (strict)
// unpadded base64url.
func canonicalJWS(token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, err := base64.RawURLEncoding.Strict().DecodeString(p); err != nil {
			return false
		}
	}
	return true
}
