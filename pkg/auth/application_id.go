package auth

import (
	"strings"

	"github.com/google/uuid"
)

// ApplicationIDPrefix starts every application id (which is also its
// client_id).
const ApplicationIDPrefix = "app_"

// NewApplicationID returns a new application id: "app_" followed by a
// time-ordered UUID without dashes, like herald.NewWebhookID.
func NewApplicationID() string {
	u, err := uuid.NewV7()
	if err != nil {
		u = uuid.New()
	}
	return ApplicationIDPrefix + strings.ReplaceAll(u.String(), "-", "")
}
