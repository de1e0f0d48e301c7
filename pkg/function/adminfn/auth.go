package adminfn

import (
	"fmt"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/function"
)

// Auth builds the admin API's authenticator.
func Auth(e function.Env) (*auth.Authenticator, error) {
	e.Defaults()
	c := e.Config
	var key []byte
	switch {
	case c.TokenSigningKey != "":
		key = []byte(c.TokenSigningKey)
		if len(key) < auth.MinSigningKeyBytes {
			return nil, fmt.Errorf("HERALD_TOKEN_SIGNING_KEY must be at least %d bytes", auth.MinSigningKeyBytes)
		}
	case len(c.AdminToken) < auth.MinSigningKeyBytes:
		// The issued tokens' key would be derived from a short admin token,
		// and any application could guess the token offline from them.
		return nil, fmt.Errorf("HERALD_ADMIN_TOKEN is shorter than %d bytes: set HERALD_TOKEN_SIGNING_KEY "+
			"(at least %d random bytes), or use a longer admin token", auth.MinSigningKeyBytes, auth.MinSigningKeyBytes)
	}
	return auth.New(auth.Config{AdminToken: c.AdminToken, SigningKey: key, Applications: e.Res.Applications,
		JWKSURL: c.JWKSURL, JWTIssuer: c.JWTIssuer, JWTAudience: c.JWTAudience, Now: e.Now,
		Logger: e.Log("admin")})
}
