package auth

import (
	"context"
	"errors"

	"github.com/lestrrat-go/jwx/v3/jwt"
)

// ErrKeysUnavailable is returned when the external JWKS cannot be fetched,
// so a token cannot be checked.
var ErrKeysUnavailable = errors.New("auth: identity provider keys unavailable")

// Claims of external tokens, besides the registered ones.
const claimScp = "scp"

// externalPrincipal verifies a token of the external identity provider
// against its JWKS: signature by a key of the set with an algorithm that
// key allows, exp and nbf by the injected clock, iss and aud as configured.
// Its scopes come from "scope" (space separated) or "scp" (an array);
// scopes Herald does not know are ignored.
func (a *Authenticator) externalPrincipal(ctx context.Context, token string) (*Principal, error) {
	kp := &jwksProvider{ctx: ctx, src: a.jwks}
	tok, err := a.parseToken(token, jwt.WithKeyProvider(kp), a.cfg.JWTIssuer, a.cfg.JWTAudience)
	if err != nil {
		if kp.unavailable != nil {
			return nil, kp.unavailable
		}
		return nil, ErrUnauthenticated
	}
	sub, _ := tok.Subject()
	tenant, ok1 := bindingClaim(tok, claimTenantID)
	partner, ok2 := bindingClaim(tok, claimPartnerID)
	if !ok1 || !ok2 {
		return nil, ErrUnauthenticated
	}
	return &Principal{
		Subject:   sub,
		Kind:      KindExternal,
		Scopes:    known(externalScopes(tok)),
		TenantID:  tenant,
		PartnerID: partner,
	}, nil
}

// bindingClaim reads a tenant_id or partner_id claim. It fails closed: a
// claim that is present but not a non-empty string (a number, an array, "")
// makes the token unusable rather than unbound.
func bindingClaim(tok jwt.Token, name string) (string, bool) {
	if !tok.Has(name) {
		return "", true
	}
	var v any
	if err := tok.Get(name, &v); err != nil {
		return "", false
	}
	s, ok := v.(string)
	return s, ok && s != ""
}

// externalScopes reads "scope" (a space-separated string) or, failing
// that, "scp" (an array of strings, or a string as some providers send).
func externalScopes(tok jwt.Token) []string {
	if s := stringClaim(tok, claimScope); s != "" {
		return splitScopes(s)
	}
	var v any
	if err := tok.Get(claimScp, &v); err != nil {
		return nil
	}
	switch scp := v.(type) {
	case string:
		return splitScopes(scp)
	case []any:
		var out []string
		for _, s := range scp {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return scp
	}
	return nil
}

// stringClaim returns a private string claim, "" when absent or not a
// string.
func stringClaim(tok jwt.Token, name string) string {
	var v any
	if err := tok.Get(name, &v); err != nil {
		return ""
	}
	s, _ := v.(string)
	return s
}
