package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// Private claims of the tokens Herald issues.
const (
	claimScope     = "scope"
	claimTenantID  = "tenant_id"
	claimPartnerID = "partner_id"
	// claimGeneration is the application's TokenGeneration at issue.
	claimGeneration = "gen"
)

// sign returns a signed HS256 token for app carrying scopes, valid from now
// for lifetime.
func (a *Authenticator) sign(app *herald.Application, scopes []string, now time.Time, lifetime time.Duration) (string, error) {
	tok, err := jwt.NewBuilder().
		Issuer(a.cfg.Issuer).
		Audience([]string{a.cfg.Audience}).
		Subject(app.ID).
		IssuedAt(now).
		NotBefore(now).
		Expiration(now.Add(lifetime)).
		JwtID(uuid.NewString()).
		Claim(claimScope, joinScopes(scopes)).
		Claim(claimTenantID, app.TenantID).
		Claim(claimPartnerID, app.PartnerID).
		Claim(claimGeneration, app.TokenGeneration).
		Build()
	if err != nil {
		return "", fmt.Errorf("auth: build token: %w", err)
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.HS256(), a.cfg.SigningKey))
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return string(signed), nil
}

// applicationPrincipal verifies a token Herald issued and resolves it
// against the application's current record: a deleted application's tokens
// stop at once, and narrowed scopes or a changed binding apply at once. It
// returns errNotOurs for a token that does not verify as Herald's.
func (a *Authenticator) applicationPrincipal(ctx context.Context, token string) (*Principal, error) {
	tok, err := a.parseToken(token, jwt.WithKey(jwa.HS256(), a.cfg.SigningKey), a.cfg.Issuer, a.cfg.Audience)
	if err != nil {
		return nil, errNotOurs
	}
	sub, _ := tok.Subject()
	app, err := a.application(ctx, sub)
	if err != nil {
		return nil, err
	}
	if !current(tok, app) {
		return nil, ErrUnauthenticated
	}
	var scope string
	_ = tok.Get(claimScope, &scope)
	return &Principal{
		Subject:   app.ID,
		Kind:      KindApplication,
		Scopes:    intersect(splitScopes(scope), app.Scopes),
		TenantID:  app.TenantID,
		PartnerID: app.PartnerID,
	}, nil
}

// current reports whether tok is of app's current token generation, so
// not revoked. A token without the claim was issued before generations
// existed: it is of generation 0, and also held to TokensNotBeforeMS, a
// floor of whole seconds.
func current(tok jwt.Token, app *herald.Application) bool {
	var gen float64
	if tok.Has(claimGeneration) {
		var v any
		if err := tok.Get(claimGeneration, &v); err != nil {
			return false
		}
		var ok bool
		if gen, ok = v.(float64); !ok {
			return false
		}
	}
	iat, ok := tok.IssuedAt()
	return ok && gen == float64(app.TokenGeneration) && iat.Unix() >= app.TokensNotBeforeMS/1000
}

// application reads the application clientID names. An unknown one is
// ErrUnauthenticated; a store failure is returned wrapped, its gcerrors
// code intact.
func (a *Authenticator) application(ctx context.Context, clientID string) (*herald.Application, error) {
	if clientID == "" || len(clientID) > maxClientIDLen {
		return nil, ErrUnauthenticated
	}
	app := &herald.Application{ID: clientID}
	if err := a.cfg.Applications.Get(ctx, app); err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, ErrUnauthenticated
		}
		return nil, fmt.Errorf("auth: read application: %w", err)
	}
	return app, nil
}
