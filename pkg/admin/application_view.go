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
	TokenLifetime           int64      `json:"token_lifetime"`
	SecretExpiresAt         *time.Time `json:"secret_expires_at"`
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at"`
	CreatedAt               time.Time  `json:"created_at"`
	UpdatedAt               time.Time  `json:"updated_at"`
	ClientSecret            string     `json:"client_secret,omitempty"`
}

func (a *API) viewApplication(app *herald.Application) applicationView {
	lifetime := app.TokenLifetime
	if lifetime <= 0 {
		lifetime = herald.DefaultTokenLifetime
	}
	v := applicationView{
		ID: app.ID, ClientID: app.ID, Name: app.Name, Description: app.Description,
		Scopes: nonNil(app.Scopes), TenantID: optional(app.TenantID), PartnerID: optional(app.PartnerID),
		TokenLifetime: int64(lifetime / time.Second),
		CreatedAt:     app.CreatedAt.UTC(), UpdatedAt: app.UpdatedAt.UTC(),
	}
	if app.SecretExpiresMS != 0 {
		t := herald.FromMillis(app.SecretExpiresMS)
		v.SecretExpiresAt = &t
	}
	if app.PreviousSecretHash != "" && herald.Millis(a.cfg.Now()) < app.PreviousSecretUntilMS {
		t := herald.FromMillis(app.PreviousSecretUntilMS)
		v.PreviousSecretExpiresAt = &t
	}
	return v
}
