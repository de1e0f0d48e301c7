package auth

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"net/http"
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
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}
