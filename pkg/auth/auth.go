package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"

	"github.com/heraldhq/herald/pkg/herald"
)

// ErrUnauthenticated is returned for a token that is missing, malformed,
// expired, revoked or not Herald's to accept.
var ErrUnauthenticated = errors.New("auth: not authenticated")

// Config configures an Authenticator.
type Config struct {
	// AdminToken is the bootstrap token, with every scope. Required.
	AdminToken string
}

// Authenticator turns bearer tokens into principals.
type Authenticator struct {
	cfg   Config
	admin [sha256.Size]byte
}

// New returns an Authenticator for cfg.
func New(cfg Config) (*Authenticator, error) {
	if cfg.AdminToken == "" {
		return nil, errors.New("auth: AdminToken is required")
	}
	return &Authenticator{cfg: cfg, admin: sha256.Sum256([]byte(cfg.AdminToken))}, nil
}

// Authenticate returns the principal token stands for, or
// ErrUnauthenticated. The admin token is compared as a SHA-256 digest in
// constant time, so neither its content nor its length leaks through timing.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*Principal, error) {
	got := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(got[:], a.admin[:]) == 1 {
		return &Principal{Subject: "admin", Kind: KindAdminToken, Scopes: herald.AllScopes}, nil
	}
	return nil, ErrUnauthenticated
}
