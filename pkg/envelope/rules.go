package envelope

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
)

// newValidator returns a validator that knows the envelope's custom rules and
// names fields by their JSON names. It is immutable once returned and safe for
// concurrent use.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	custom := map[string]validator.Func{
		"maxbytes":   maxBytesRule,
		"event_type": func(fl validator.FieldLevel) bool { return validEventType(fl.Field().String()) },
		"event_id":   func(fl validator.FieldLevel) bool { return validEventID(fl.Field().String()) },
		"timestamp":  func(fl validator.FieldLevel) bool { return validTimestamp(fl.Field().String()) },
		"category":   func(fl validator.FieldLevel) bool { return slices.Contains(herald.Categories, fl.Field().String()) },
	}
	for tag, fn := range custom {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic(fmt.Sprintf("envelope: register %q: %v", tag, err)) // a programming error
		}
	}
	return v
}

// maxBytesRule checks that a string is at most Param bytes long (validator's
// own max counts runes).
func maxBytesRule(fl validator.FieldLevel) bool {
	n, err := strconv.Atoi(fl.Param())
	return err == nil && len(fl.Field().String()) <= n
}

// validEventType reports whether s is lower-case dotted segments:
// ^[a-z0-9_-]+(\.[a-z0-9_-]+)*$.
func validEventType(s string) bool {
	for seg := range strings.SplitSeq(s, ".") {
		if seg == "" {
			return false
		}
		for _, c := range []byte(seg) {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validEventID reports whether s is printable ASCII without whitespace. Its
// length is checked by the maxbytes rule.
func validEventID(s string) bool {
	for _, c := range []byte(s) {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return s != ""
}

// validTimestamp reports whether s is an RFC 3339 time, with or without
// fractional seconds.
func validTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// checkRules applies the field rules to e and returns a problem for each
// failure, skipping fields that already have a problem in seen.
func checkRules(v *validator.Validate, e *Envelope, seen []Problem) []Problem {
	var fieldErrs validator.ValidationErrors
	if !errors.As(v.Struct(e), &fieldErrs) {
		return nil // valid (Struct only fails otherwise for a non-struct)
	}
	var problems []Problem
	for _, fe := range fieldErrs {
		if slices.ContainsFunc(seen, func(p Problem) bool { return p.Field == fe.Field() }) {
			continue
		}
		problems = append(problems, ruleProblem(fe))
	}
	return problems
}

// ruleProblem describes one failed rule to the publisher.
func ruleProblem(fe validator.FieldError) Problem {
	p := Problem{Field: fe.Field(), Type: typeValueError}
	switch fe.Tag() {
	case "required":
		p.Reason, p.Type = "field required", typeMissing
	case "maxbytes":
		p.Reason, p.Type = "must be at most "+fe.Param()+" bytes", typeTooLong
	case "event_type":
		p.Reason = "must be lower-case dotted segments"
	case "event_id":
		p.Reason = "must be printable ASCII without whitespace"
	case "timestamp":
		p.Reason = "must be an RFC 3339 time"
	case "category":
		p.Reason = "must be one of " + strings.Join(herald.Categories, ", ")
		p.Type = typeLiteralError
	default:
		p.Reason = "is invalid"
	}
	return p
}
