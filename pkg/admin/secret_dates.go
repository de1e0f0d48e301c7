package admin

import (
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// secretDates is the part of a webhook's and an application's view that
// says when its secret expires, when the secret a rotation replaced stops
// working, and when the record was created and last changed.
type secretDates struct {
	// SecretExpiresAt is when the secret should be rotated, null for never.
	SecretExpiresAt *time.Time `json:"secret_expires_at"`
	// PreviousSecretExpiresAt is when the rotated-out secret stops working,
	// null unless it still does.
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at"`
	CreatedAt               time.Time  `json:"created_at"`
	UpdatedAt               time.Time  `json:"updated_at"`
}

// viewSecretDates fills in secretDates. hasPrevious says whether a
// rotated-out secret is kept at all; it is shown only until previousUntilMS.
func (a *API) viewSecretDates(secretExpiresMS int64, hasPrevious bool, previousUntilMS int64,
	created, updated time.Time) secretDates {
	d := secretDates{
		SecretExpiresAt: optionalTime(herald.FromMillis(secretExpiresMS)),
		CreatedAt:       created.UTC(), UpdatedAt: updated.UTC(),
	}
	if hasPrevious && herald.Millis(a.cfg.Now()) < previousUntilMS {
		d.PreviousSecretExpiresAt = optionalTime(herald.FromMillis(previousUntilMS))
	}
	return d
}
