package admin

import (
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// applicationView is an application as the API shows it. ClientSecret is
// set only in the responses to create and rotate-secret; the hashes are
// never shown.
type applicationView struct {
	ID          string   `json:"id"`
	ClientID    string   `json:"client_id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Scopes      []string `json:"scopes"`
	TenantID    *string  `json:"tenant_id"`
	PartnerID   *string  `json:"partner_id"`
	// TokenLifetime is in seconds.
	TokenLifetime int64 `json:"token_lifetime"`
	secretDates
	ClientSecret string `json:"client_secret,omitempty"`
}

func (a *API) viewApplication(app *herald.Application) applicationView {
	lifetime := app.TokenLifetime
	if lifetime <= 0 {
		lifetime = herald.DefaultTokenLifetime
	}
	return applicationView{
		ID: app.ID, ClientID: app.ID, Name: app.Name, Description: app.Description,
		Scopes: nonNil(app.Scopes), TenantID: optional(app.TenantID), PartnerID: optional(app.PartnerID),
		TokenLifetime: int64(lifetime / time.Second),
		secretDates: a.viewSecretDates(app.SecretExpiresMS, app.PreviousSecretHash != "", app.PreviousSecretUntilMS,
			app.CreatedAt, app.UpdatedAt),
	}
}
