package admin

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
)

// Limits of an application's settings.
const (
	minTokenLifetime = 60
	maxTokenLifetime = 86400
	maxSecretGrace   = 7 * 24 * time.Hour
)

// applicationInput is the body of POST /api/v1/admin/applications/.
type applicationInput struct {
	Name        *string  `json:"name" validate:"required,min=1,max=200"`
	Description string   `json:"description" validate:"max=2000"`
	Scopes      []string `json:"scopes" validate:"required,min=1,max=4,unique"`
	TenantID    string   `json:"tenant_id" validate:"max=255"`
	PartnerID   string   `json:"partner_id" validate:"max=255"`
	// TokenLifetime is in seconds. Defaults to herald.DefaultTokenLifetime.
	TokenLifetime *int `json:"token_lifetime" validate:"omitnil,min=60,max=86400"`
	// SecretExpiresAt (RFC 3339), when set, is when the client secret stops
	// working; it must be in the future.
	SecretExpiresAt *string `json:"secret_expires_at"`
}

// rotateInput is the optional body of POST …/applications/{id}/rotate-secret.
type rotateInput struct {
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
func (in *rotateInput) check(now time.Time) (time.Duration, time.Time, *validationError) {
	v := &validationError{}
	grace := herald.DefaultSecretGrace
	if in.GracePeriod != nil {
		d, err := time.ParseDuration(*in.GracePeriod)
		if err != nil || d < 0 || d > maxSecretGrace {
			v.add("must be a duration from 0s to 168h", "value_error", "body", "grace_period")
		}
		grace = d
	}
	return grace, futureTime(in.SecretExpiresAt, now, v), v
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

// decodeOptionalBody decodes a JSON body into dst like decodeBody, but an
// empty body leaves dst as is.
func decodeOptionalBody(r *http.Request, dst any, v *validationError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		v.add("body could not be read", "json_invalid", "body")
		return
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	decodeBody(r, dst, v)
}
