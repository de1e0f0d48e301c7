package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/heraldhq/herald/pkg/herald"
)

// validate is built once: go-playground validators cache struct metadata and
// are safe for concurrent use.
var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	_ = v.RegisterValidation("category", func(fl validator.FieldLevel) bool {
		return slices.Contains(herald.Categories, fl.Field().String())
	})
	// A tenant or partner id is compared, logged and stored as part of
	// keys: valid UTF-8 without control characters, as events' ids are.
	_ = v.RegisterValidation("scopeid", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
	})
	return v
})

// decodeBody decodes a JSON object body into dst, refusing unknown fields.
// Problems go into v with their location.
func decodeBody(r *http.Request, dst any, v *validationError) {
	// read keeps what the decoder read, to locate a value of the wrong type.
	var read bytes.Buffer
	dec := json.NewDecoder(io.TeeReader(io.LimitReader(r.Body, maxBodyBytes), &read))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &typeErr) && typeErr.Field != "":
		v.add(fmt.Sprintf("must be of type %s", jsonType(typeErr.Type)), "type_error",
			typeErrorLoc(read.Bytes(), typeErr.Field, typeErr.Offset)...)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		v.add("unknown field", "extra_forbidden", "body", field)
	default:
		v.add("body must be a JSON object", "json_invalid", "body")
	}
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
	case "scopeid":
		return "must be valid UTF-8 without control characters"
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

// decodeOptionalBody is decodeBody for an endpoint whose body may be left
// out: an empty body leaves dst as it is.
func decodeOptionalBody(r *http.Request, dst any, v *validationError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		v.add("could not read the body", "body_error", "body")
		return
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	decodeBody(r, dst, v)
}
