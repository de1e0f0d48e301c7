package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
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

// minRetryStep is the shortest retry step the API accepts: faster retries
// only hammer a receiver that is already failing.
const minRetryStep = time.Second

// webhookInput is the body of a create or patch. A nil field is absent: on
// patch it keeps its value, on create it takes its default.
type webhookInput struct {
	Name            *string            `json:"name" validate:"omitnil,min=1,max=200"`
	URL             *string            `json:"url" validate:"omitnil,max=2048"`
	Description     *string            `json:"description" validate:"omitnil,max=2000"`
	Events          *[]string          `json:"events" validate:"omitnil,max=100"`
	Categories      *[]string          `json:"categories" validate:"omitnil,max=8,dive,category"`
	Filters         *[]herald.Filter   `json:"filters" validate:"omitnil,max=20"`
	Headers         *map[string]string `json:"headers" validate:"omitnil,max=20,dive,keys,min=1,max=256,endkeys,max=2048"`
	Enabled         *bool              `json:"enabled"`
	Paused          *bool              `json:"paused"`
	TenantID        *string            `json:"tenant_id" validate:"omitnil,max=255"`
	PartnerID       *string            `json:"partner_id" validate:"omitnil,max=255"`
	RetrySchedule   *[]string          `json:"retry_schedule" validate:"omitnil,max=20"`
	PauseQueueLimit *int               `json:"pause_queue_limit" validate:"omitnil,min=1,max=100000"`
	Secret          *string            `json:"secret"`
}

// validate is built once: go-playground validators cache struct metadata and
// are safe for concurrent use.
var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	_ = v.RegisterValidation("category", func(fl validator.FieldLevel) bool {
		return contains(herald.Categories, fl.Field().String())
	})
	return v
})

// decodeBody decodes a JSON object body into dst, refusing unknown fields.
// Problems go into v with their location.
func decodeBody(r *http.Request, dst any, v *validationError) {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &typeErr) && typeErr.Field != "":
		v.add(fmt.Sprintf("must be of type %s", jsonType(typeErr.Type)), "type_error", bodyLoc(typeErr.Field)...)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		v.add("unknown field", "extra_forbidden", "body", field)
	default:
		v.add("body must be a JSON object", "json_invalid", "body")
	}
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
	} else if in.Secret != nil {
		v.add("the secret can only be set on create", "extra_forbidden", "body", "secret")
	}
	if err := validate().Struct(in); err != nil {
		var errs validator.ValidationErrors
		if errors.As(err, &errs) {
			for _, fe := range errs {
				v.add(tagMessage(fe), fe.Tag(), namespaceLoc(fe.Namespace())...)
			}
		}
	}
	if in.URL != nil {
		if err := netguard.CheckURL(*in.URL, a.cfg.AllowPrivateTargets); err != nil {
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
		for i, f := range *in.Filters {
			if err := match.ValidateFilter(f); err != nil {
				v.add(err.Error(), "value_error", "body", "filters", i)
			}
		}
	}
	if in.Headers != nil {
		for name, value := range *in.Headers {
			if err := checkHeader(name, value, a.cfg.HeaderPrefix); err != nil {
				v.add(err.Error(), "value_error", "body", "headers", name)
			}
		}
	}
	if in.RetrySchedule != nil {
		s, err := retry.Parse(*in.RetrySchedule)
		switch {
		case err != nil:
			v.add(err.Error(), "value_error", "body", "retry_schedule")
		case len(s) > 0 && minStep(s) < minRetryStep:
			v.add("every step must be at least 1s", "value_error", "body", "retry_schedule")
		}
	}
	if in.Secret != nil {
		if _, err := signature.Key(*in.Secret); err != nil {
			v.add(err.Error(), "value_error", "body", "secret")
		}
	}
	return v
}

func minStep(s retry.Schedule) time.Duration {
	m := s[0]
	for _, d := range s {
		m = min(m, d)
	}
	return m
}

// tagMessage turns a validator failure into a short message.
func tagMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "min":
		return "must be at least " + fe.Param() + lengthUnit(fe)
	case "max":
		return "must be at most " + fe.Param() + lengthUnit(fe)
	case "category":
		return "must be one of " + strings.Join(herald.Categories, ", ")
	}
	return "invalid value"
}

func lengthUnit(fe validator.FieldError) string {
	switch fe.Kind() {
	case reflect.String:
		return " characters long"
	case reflect.Slice, reflect.Map:
		return " items"
	}
	return ""
}

// namespaceLoc turns "webhookInput.events[2]" into ["body", "events", 2].
func namespaceLoc(ns string) []any {
	_, rest, _ := strings.Cut(ns, ".")
	loc := []any{"body"}
	for _, part := range strings.Split(rest, ".") {
		name, idx, ok := strings.Cut(part, "[")
		loc = append(loc, name)
		if ok {
			idx = strings.TrimSuffix(idx, "]")
			if n, err := strconv.Atoi(idx); err == nil {
				loc = append(loc, n)
			} else {
				loc = append(loc, idx)
			}
		}
	}
	return loc
}

// bodyLoc turns a dotted JSON field path into a body location.
func bodyLoc(field string) []any {
	loc := []any{"body"}
	for _, p := range strings.Split(field, ".") {
		loc = append(loc, p)
	}
	return loc
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
