package auth

import (
	"context"
	"errors"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// Errors of Issue, named as in RFC 6749 §5.2.
var (
	// ErrInvalidClient is returned for an unknown client and for a wrong,
	// expired or retired secret alike: the caller cannot tell which.
	ErrInvalidClient = errors.New("auth: invalid client")
	// ErrInvalidScope is returned when the requested scope is not a subset
	// of the application's scopes.
	ErrInvalidScope = errors.New("auth: invalid scope")
)

// maxClientIDLen bounds a client_id before it reaches the store.
const maxClientIDLen = 64

// Token is an issued access token, shaped as an RFC 6749 §5.1 response.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	// ExpiresIn is the token's lifetime in seconds.
	ExpiresIn int64 `json:"expires_in"`
	// Scope is the space-separated list of granted scopes.
	Scope string `json:"scope"`
}

// Issue runs the client-credentials grant: it checks clientID and
// clientSecret and returns a token with the requested scope (space
// separated; empty means all of the application's scopes). Errors:
// ErrInvalidClient, ErrInvalidScope, a *ThrottledError (see admit), or a
// store failure.
func (a *Authenticator) Issue(ctx context.Context, clientID, clientSecret, scope string) (Token, error) {
	release, err := a.admit(ctx, clientID)
	if err != nil {
		return Token{}, err
	}
	defer release()
	app, err := a.issuer(ctx, clientID)
	switch {
	case errors.Is(err, ErrUnauthenticated):
		// Spend the same time as for a known client with a wrong secret.
		a.secretMatches(&herald.Application{SecretHash: a.dummyHash}, clientSecret, time.Time{})
		return Token{}, ErrInvalidClient
	case err != nil:
		return Token{}, err
	}
	now := a.cfg.Now()
	if !a.secretMatches(app, clientSecret, now) {
		return Token{}, ErrInvalidClient
	}
	scopes := app.Scopes
	if req := splitScopes(scope); len(req) > 0 {
		if !subset(req, app.Scopes) {
			return Token{}, ErrInvalidScope
		}
		scopes = req
	}
	lifetime := app.TokenLifetime
	if lifetime <= 0 {
		lifetime = herald.DefaultTokenLifetime
	}
	signed, err := a.sign(app, scopes, now, lifetime)
	if err != nil {
		return Token{}, err
	}
	return Token{AccessToken: signed, TokenType: "Bearer", ExpiresIn: int64(lifetime / time.Second),
		Scope: joinScopes(scopes)}, nil
}

// issuer reads the application of a client_id; ErrUnauthenticated when
// there is none (or no applications collection).
func (a *Authenticator) issuer(ctx context.Context, clientID string) (*herald.Application, error) {
	if a.cfg.Applications == nil {
		return nil, ErrUnauthenticated
	}
	return a.application(ctx, clientID)
}

// secretMatches reports whether secret is app's current secret (unless it
// has expired) or the previous one within its grace period. It always
// computes two hashes, so its time does not tell whether the application
// has a previous secret either.
func (a *Authenticator) secretMatches(app *herald.Application, secret string, now time.Time) bool {
	ms := herald.Millis(now)
	previous, inGrace := app.PreviousSecretHash, ms < app.PreviousSecretUntilMS
	if previous == "" || !inGrace {
		previous = a.dummyHash
	}
	current := VerifySecret(app.SecretHash, secret) && (app.SecretExpiresMS == 0 || ms < app.SecretExpiresMS)
	old := VerifySecret(previous, secret) && previous != a.dummyHash
	return current || old
}
