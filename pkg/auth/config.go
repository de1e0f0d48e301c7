package auth

import (
	"cmp"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"gocloud.dev/docstore"
)

// Defaults of Config.
const (
	DefaultIssuer   = "herald"
	DefaultAudience = "herald-admin"
	// MinSigningKeyBytes is the shortest SigningKey New accepts: HS256 wants
	// a key as long as its hash.
	MinSigningKeyBytes = 32
	// signingKeyInfo is the HKDF info of a signing key derived from the
	// admin token; bump its version to invalidate every issued token.
	signingKeyInfo     = "herald token signing key v1"
	defaultHTTPTimeout = 10 * time.Second

	defaultIssueBurst          = 10
	defaultIssueEvery          = 6 * time.Second
	defaultMaxThrottledClients = 10_000
	defaultHashWait            = 250 * time.Millisecond
)

// Config configures an Authenticator.
type Config struct {
	// AdminToken is the bootstrap token, with every scope. Required.
	AdminToken string
	// SigningKey is the HMAC key of the tokens Herald issues (HS256), at
	// least 32 bytes. Every instance of the admin API must share it.
	// Defaults to a key derived from AdminToken with HKDF-SHA256, so that
	// changing the admin token also revokes every issued token.
	SigningKey []byte
	// Applications is the applications collection (herald.Application).
	// Required for application tokens: without it, only the admin token and
	// external tokens authenticate, and Issue refuses every client.
	Applications *docstore.Collection
	// IssueBurst and IssueEvery throttle POST /oauth/token per client id
	// (known or not): IssueBurst requests at once, then one per IssueEvery.
	// Default to 10 and 6s. MaxThrottledClients bounds the client ids
	// tracked; defaults to 10,000.
	IssueBurst          int
	IssueEvery          time.Duration
	MaxThrottledClients int
	// MaxHashing bounds the client-secret checks (argon2id, 2×19 MiB each)
	// that run at once; a request waits at most HashWait for one to end.
	// Default to 2×GOMAXPROCS and 250ms.
	MaxHashing int
	HashWait   time.Duration

	// Issuer and Audience are the iss and aud of the tokens Herald issues.
	// Default to "herald" and "herald-admin".
	Issuer   string
	Audience string

	// JWKSURL is the JWKS of an external identity provider whose JWTs are
	// accepted too. Optional: unset, external tokens are not accepted.
	JWKSURL string
	// JWTIssuer and JWTAudience are the iss and aud external tokens must
	// carry. Required when JWKSURL is set.
	JWTIssuer   string
	JWTAudience string
	// HTTPClient fetches the JWKS. Defaults to a client like
	// http.DefaultClient with a 10s timeout.
	HTTPClient *http.Client
	// JWKSBackoff is how long to wait before fetching the JWKS again after
	// failures fetches in a row failed. Defaults to 1s, doubling per
	// failure up to 30s, so a provider back up is used within 30s.
	JWKSBackoff func(failures int) time.Duration

	// Logger logs what an operator must know: failures to fetch the JWKS
	// (once per change, with the URL and the cause). Defaults to
	// slog.Default().
	Logger *slog.Logger

	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.AdminToken == "" {
		return c, errors.New("auth: AdminToken is required")
	}
	if c.JWKSURL != "" && (c.JWTIssuer == "" || c.JWTAudience == "") {
		return c, errors.New("auth: JWKSURL needs JWTIssuer and JWTAudience")
	}
	switch {
	case len(c.SigningKey) == 0:
		key, err := hkdf.Key(sha256.New, []byte(c.AdminToken), nil, signingKeyInfo, MinSigningKeyBytes)
		if err != nil {
			return c, err
		}
		c.SigningKey = key
	case len(c.SigningKey) < MinSigningKeyBytes:
		return c, errors.New("auth: SigningKey must be at least 32 bytes")
	}
	if c.Issuer == "" {
		c.Issuer = DefaultIssuer
	}
	if c.Audience == "" {
		c.Audience = DefaultAudience
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	c.IssueBurst = cmp.Or(max(c.IssueBurst, 0), defaultIssueBurst)
	c.IssueEvery = cmp.Or(max(c.IssueEvery, 0), defaultIssueEvery)
	c.MaxThrottledClients = cmp.Or(max(c.MaxThrottledClients, 0), defaultMaxThrottledClients)
	c.MaxHashing = cmp.Or(max(c.MaxHashing, 0), 2*runtime.GOMAXPROCS(0))
	c.HashWait = cmp.Or(max(c.HashWait, 0), defaultHashWait)
	if c.JWKSBackoff == nil {
		c.JWKSBackoff = defaultJWKSBackoff
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}
