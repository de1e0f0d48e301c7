package admin

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
)

// applicationInput is the body of POST /api/v1/admin/applications/.
type applicationInput struct {
	Name        *string  `json:"name" validate:"required,min=1,max=200"`
	Description string   `json:"description" validate:"max=2000"`
	Scopes      []string `json:"scopes" validate:"required,min=1,max=5,unique"`
	TenantID    *string  `json:"tenant_id" validate:"omitnil,max=255,scopeid"`
	PartnerID   *string  `json:"partner_id" validate:"omitnil,max=255,scopeid"`
	// TokenLifetime is in seconds. Defaults to herald.DefaultTokenLifetime.
	TokenLifetime *int `json:"token_lifetime" validate:"omitnil,min=60,max=86400"`
	// SecretExpiresAt (RFC 3339), when set, is when the client secret stops
	// working; it must be in the future.
	SecretExpiresAt *string `json:"secret_expires_at"`
}

// appRotateInput is the optional body of POST …/applications/{id}/rotate-secret.
type appRotateInput struct {
	// GracePeriod is how long the old secret keeps working, a Go duration
	// from 0s to 168h. Defaults to herald.DefaultSecretGrace.
	GracePeriod *string `json:"grace_period"`
	// SecretExpiresAt is the new secret's expiry, as on create.
	SecretExpiresAt *string `json:"secret_expires_at"`
}

// check validates a create body; it returns the parsed secret expiry.
func (in *applicationInput) check(now time.Time) (time.Time, *validationError) {
	v := &validationError{}
	if err := validate().Struct(in); err != nil {
		var errs validator.ValidationErrors
		if errors.As(err, &errs) {
			for _, fe := range errs {
				msg, typ := applicationMessage(fe)
				v.add(msg, typ, namespaceLoc(fe.Namespace())...)
			}
		}
	}
	for i, sc := range in.Scopes {
		if !slices.Contains(herald.AllScopes, sc) {
			v.add("must be one of "+strings.Join(herald.AllScopes, ", "), "enum", "body", "scopes", i)
		}
	}
	expires := futureTime(in.SecretExpiresAt, now, v)
	return expires, v
}

// check validates a rotate body; it returns the grace period and the new
// secret's expiry.
func (in *appRotateInput) check(now time.Time) (time.Duration, time.Time, *validationError) {
	v := &validationError{}
	grace := gracePeriod(in.GracePeriod, v)
	return grace, futureTime(in.SecretExpiresAt, now, v), v
}

// gracePeriod parses an optional grace_period: a Go duration from 0s to
// 168h, herald.DefaultSecretGrace when absent.
func gracePeriod(s *string, v *validationError) time.Duration {
	if s == nil {
		return herald.DefaultSecretGrace
	}
	d, err := time.ParseDuration(*s)
	if err != nil || d < 0 || d > maxSecretGrace {
		v.add("must be a duration from 0s to 168h, such as \"24h\"", "value_error", "body", "grace_period")
	}
	return d
}

// futureTime parses an optional RFC 3339 secret_expires_at that must be
// after now; the zero time when absent.
func futureTime(s *string, now time.Time, v *validationError) time.Time {
	if s == nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, *s)
	switch {
	case err != nil:
		v.add("must be an RFC 3339 date-time", "datetime_parsing", "body", "secret_expires_at")
	case !t.After(now):
		v.add("must be in the future", "value_error", "body", "secret_expires_at")
	}
	return t
}

// applicationMessage turns a validator failure into a message and a type.
func applicationMessage(fe validator.FieldError) (string, string) {
	switch fe.Tag() {
	case "required":
		return "field required", "missing"
	case "unique":
		return "must not repeat a scope", "value_error"
	}
	return tagMessage(fe), fe.Tag()
}
