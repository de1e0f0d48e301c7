package wire

import (
	"errors"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/seal"
)

// Auth builds the admin API's authenticator.
func Auth(e Env) (*auth.Authenticator, error) {
	e.defaults()
	return auth.New(auth.Config{AdminToken: e.Config.AdminToken})
}

// Sealer builds the sealer of signing secrets over the opened keeper.
func Sealer(e Env) (*seal.Sealer, error) {
	if e.Res.Keeper == nil {
		return nil, errors.New("HERALD_SECRETS_KEEPER is required: signing secrets are encrypted at rest")
	}
	return seal.New(e.Res.Keeper), nil
}
