package admin

import (
	"encoding/json"
	"net/http"
	"time"

	"gocloud.dev/gcerrors"
)

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeDetail writes {"detail": msg}, the error shape for everything but
// validation errors.
func writeDetail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"detail": msg})
}

// fieldError is one entry of an HTTPValidationError (the 422 body).
type fieldError struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// validationError collects field errors for a 422.
type validationError struct {
	Detail []fieldError `json:"detail"`
}

func (v *validationError) add(msg, typ string, loc ...any) {
	v.Detail = append(v.Detail, fieldError{Loc: loc, Msg: msg, Type: typ})
}

func (v *validationError) empty() bool { return len(v.Detail) == 0 }

// writeValidation writes a 422 HTTPValidationError.
func writeValidation(w http.ResponseWriter, v *validationError) {
	writeJSON(w, http.StatusUnprocessableEntity, v)
}

// invalid writes a 422 with one field error.
func invalid(w http.ResponseWriter, msg, typ string, loc ...any) {
	v := &validationError{}
	v.add(msg, typ, loc...)
	writeValidation(w, v)
}

// storeFailed answers a request whose store or queue call failed. The error
// is logged, never shown: the client gets a status and a generic text.
func (a *API) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	a.cfg.Logger.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	switch gcerrors.Code(err) {
	case gcerrors.DeadlineExceeded, gcerrors.ResourceExhausted:
		writeDetail(w, http.StatusServiceUnavailable, "temporarily unavailable, try again")
	default:
		writeDetail(w, http.StatusInternalServerError, "internal error")
	}
}

// recoverPanics turns a panic into a logged 500 without the panic's text.
func (a *API) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.cfg.Logger.Error("admin handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeDetail(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// nonNil answers a nil slice as an empty JSON array rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// optionalTime answers a zero time as null, any other in UTC.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// optional answers an empty string as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
