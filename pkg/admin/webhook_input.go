package admin

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
	"github.com/heraldhq/herald/pkg/netguard"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/signature"
)

// maxBodyBytes bounds an admin request body.
const maxBodyBytes = 1 << 20

// maxFilterValueBytes bounds one filter's value, so a webhook stays far
// below DynamoDB's 400 KB item limit (20 filters at most).
const maxFilterValueBytes = 4 << 10

// filterValueTooLong is the problem of a filter value over maxFilterValueBytes.
var filterValueTooLong = fmt.Sprintf("value must be at most %d bytes of JSON", maxFilterValueBytes)

// webhookInput is the body of a create or patch. A nil field is absent: on
// patch it keeps its value, on create it takes its default.
type webhookInput struct {
	Name            *string            `json:"name" validate:"omitnil,min=1,max=200"`
	URL             *string            `json:"url" validate:"omitnil,max=2048"`
	Description     *string            `json:"description" validate:"omitnil,max=2000"`
	Events          *[]string          `json:"events" validate:"omitnil,max=100"`
	Categories      *[]string          `json:"categories" validate:"omitnil,max=8,dive,category"`
	Filters         *[]filterInput     `json:"filters" validate:"omitnil,max=20"`
	Headers         *map[string]string `json:"headers" validate:"omitnil,max=20,dive,keys,min=1,max=256,endkeys,max=2048"`
	Enabled         *bool              `json:"enabled"`
	Paused          *bool              `json:"paused"`
	TenantID        *string            `json:"tenant_id" validate:"omitnil,max=255,scopeid"`
	PartnerID       *string            `json:"partner_id" validate:"omitnil,max=255,scopeid"`
	RetrySchedule   *[]string          `json:"retry_schedule" validate:"omitnil,max=20"`
	PauseQueueLimit *int               `json:"pause_queue_limit" validate:"omitnil,min=1,max=100000"`
	Secret          *string            `json:"secret"`
	// TimeoutSeconds bounds one attempt; absent on create: the deployment's.
	TimeoutSeconds *int `json:"timeout_seconds" validate:"omitnil,min=1,max=30"`
	// UnhealthyAfter is how many consecutive failed attempts mark the
	// endpoint unhealthy. Defaults to 3.
	UnhealthyAfter *int `json:"unhealthy_after" validate:"omitnil,min=1,max=100"`
	// DisableAfter is a Go duration ("72h", at least 1m): failing that long
	// disables the endpoint. "" removes it.
	DisableAfter *string `json:"disable_after"`
	// MaxInFlight bounds the attempts in flight to the endpoint per deliver
	// process. Defaults to 10.
	MaxInFlight *int `json:"max_in_flight" validate:"omitnil,min=1,max=100"`
	// SecretExpiresAt, when set, is when the signing secret should be
	// rotated; the expiry-notifier warns before it.
	SecretExpiresAt *time.Time `json:"secret_expires_at"`
	// PayloadFormat is what the deliveries carry: "envelope" (the default)
	// or "as_published", the event byte for byte as its publisher sent it.
	PayloadFormat *string `json:"payload_format"`
	// Validate, on create, says whether to validate the endpoint at once.
	// Defaults to true.
	Validate *bool `json:"validate"`
}

// check validates in and returns its problems. create requires name and url.
func (a *API) check(in *webhookInput, create bool) *validationError {
	v := &validationError{}
	if create {
		if in.Name == nil {
			v.add("field required", "missing", "body", "name")
		}
		if in.URL == nil {
			v.add("field required", "missing", "body", "url")
		}
	} else {
		if in.Secret != nil {
			v.add("the secret can only be set on create; use rotate-secret", "extra_forbidden", "body", "secret")
		}
		if in.Validate != nil {
			v.add("only on create; use POST …/validate", "extra_forbidden", "body", "validate")
		}
	}
	if err := validate().Struct(in); err != nil {
		var errs validator.ValidationErrors
		if errors.As(err, &errs) {
			for _, fe := range errs {
				v.add(tagMessage(fe), fe.Tag(), namespaceLoc(fe.Namespace())...)
			}
		}
	}
	if in.SecretExpiresAt != nil && !in.SecretExpiresAt.After(a.cfg.Now()) {
		v.add("must be in the future", "value_error", "body", "secret_expires_at")
	}
	if in.URL != nil {
		policy := netguard.Policy{AllowPrivate: a.cfg.AllowPrivateTargets, Allowed: a.cfg.AllowedTargets,
			RequireHTTPS: a.cfg.RequireHTTPS}
		if err := policy.CheckURL(*in.URL); err != nil {
			v.add(err.Error(), "url_error", "body", "url")
		}
	}
	if in.Events != nil {
		for i, p := range *in.Events {
			if err := match.ValidPattern(p); err != nil {
				v.add(err.Error(), "value_error", "body", "events", i)
			}
		}
	}
	if in.Filters != nil {
		checkFilters(*in.Filters, v)
	}
	if in.PayloadFormat != nil && !slices.Contains(herald.PayloadFormats, *in.PayloadFormat) {
		v.add("must be one of "+strings.Join(herald.PayloadFormats, ", "), "literal_error", "body", "payload_format")
	}
	if in.Headers != nil {
		for name, value := range *in.Headers {
			if err := checkHeader(name, value, a.cfg.HeaderPrefix); err != nil {
				v.add(err.Error(), "value_error", "body", "headers", name)
			}
		}
	}
	if in.RetrySchedule != nil {
		// The validator bounds the count; each bad step is named by its
		// index, as a bad events pattern is.
		for i, step := range *in.RetrySchedule {
			if _, err := retry.ParseStep(step); err != nil {
				v.add(err.Error(), "value_error", "body", "retry_schedule", i)
			}
		}
	}
	if in.DisableAfter != nil {
		if err := checkDisableAfter(*in.DisableAfter); err != nil {
			v.add(err.Error(), "value_error", "body", "disable_after")
		}
	}
	if in.Secret != nil {
		if _, err := signature.Key(*in.Secret); err != nil {
			v.add(err.Error(), "value_error", "body", "secret")
		}
	}
	return v
}

// maxDisableAfter is the longest disable_after the API accepts: an endpoint
// failing for a month is not coming back by itself.
const maxDisableAfter = 30 * 24 * time.Hour

// checkDisableAfter accepts "" (none) or a Go duration from 1m to 720h.
func checkDisableAfter(s string) error {
	if s == "" {
		return nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a duration like \"72h\"", s)
	case d < herald.MinDisableAfter || d > maxDisableAfter:
		return errors.New("must be from 1m to 720h")
	}
	return nil
}
