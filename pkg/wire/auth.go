package wire

import (
	"errors"
	"fmt"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/seal"
)

// Auth builds the admin API's authenticator.
func Auth(e Env) (*auth.Authenticator, error) {
	e.defaults()
	c := e.Config
	var key []byte
	if c.TokenSigningKey != "" {
		key = []byte(c.TokenSigningKey)
		if len(key) < auth.MinSigningKeyBytes {
			return nil, fmt.Errorf("HERALD_TOKEN_SIGNING_KEY must be at least %d bytes", auth.MinSigningKeyBytes)
		}
	}
	return auth.New(auth.Config{AdminToken: c.AdminToken, SigningKey: key, Applications: e.Res.Applications,
		JWKSURL: c.JWKSURL, JWTIssuer: c.JWTIssuer, JWTAudience: c.JWTAudience, Now: e.Now})
}

// Sealer builds the sealer of signing secrets over the opened keeper.
func Sealer(e Env) (*seal.Sealer, error) {
	if e.Res.Keeper == nil {
		return nil, errors.New("HERALD_SECRETS_KEEPER is required: signing secrets are encrypted at rest")
	}
	return seal.New(e.Res.Keeper), nil
}
