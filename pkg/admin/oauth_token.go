package admin

import (
	"errors"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/auth"
)

// maxTokenBodyBytes bounds a token request: three short form fields.
const maxTokenBodyBytes = 4 << 10

// oauthError is an RFC 6749 §5.2 error response.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// token is POST /oauth/token, the client-credentials grant (RFC 6749 §4.4).
// The client authenticates with HTTP Basic or with client_id and
// client_secret in the form, not both. Errors never say whether the client
// exists. A client id that asks too often, or a request that finds every
// secret check busy, is answered 429 with Retry-After.
func (a *API) token(w http.ResponseWriter, r *http.Request) {
	form, problem := tokenForm(w, r)
	if problem != "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", problem)
		return
	}
	switch form.Get("grant_type") {
	case "client_credentials":
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	id, secret, basic, problem := clientCredentials(r, form)
	if problem != "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", problem)
		return
	}
	tok, err := a.cfg.Auth.Issue(r.Context(), id, secret, form.Get("scope"))
	var throttled *auth.ThrottledError
	switch {
	case errors.Is(err, auth.ErrInvalidClient):
		a.cfg.Logger.Info("token refused", "reason", "invalid_client", "client_id", truncate(id, 64))
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="herald"`)
		}
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
	case errors.As(err, &throttled):
		// Not logged one by one: a flood would flood the log too.
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, math.Ceil(throttled.RetryAfter.Seconds())))))
		writeOAuthError(w, http.StatusTooManyRequests, "temporarily_unavailable", "too many token requests; retry later")
	case errors.Is(err, auth.ErrInvalidScope):
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "the requested scope exceeds the client's scopes")
	case err != nil:
		a.tokenFailed(w, r, err)
	default:
		a.cfg.Logger.Info("token issued", "client_id", id, "scope", tok.Scope)
		w.Header().Set("Pragma", "no-cache")
		writeJSON(w, http.StatusOK, tok)
	}
}

// tokenForm reads the form of a token request, or says what is wrong with
// it. Parameters must not repeat (RFC 6749 §3.2).
func tokenForm(w http.ResponseWriter, r *http.Request) (url.Values, string) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, "the body must be application/x-www-form-urlencoded"
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenBodyBytes)
	if err := r.ParseForm(); err != nil {
		return nil, "the body is not a valid form"
	}
	for name, values := range r.PostForm {
		if len(values) > 1 {
			return nil, name + " is repeated"
		}
	}
	return r.PostForm, ""
}

// clientCredentials returns the client's id and secret from HTTP Basic
// (whose parts are form-encoded, RFC 6749 §2.3.1) or from the form, and
// whether Basic was used.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, basic bool, problem string) {
	user, pass, basic := r.BasicAuth()
	inForm := form.Has("client_id") || form.Has("client_secret")
	switch {
	case basic && inForm:
		return "", "", true, "use one client authentication method, not both"
	case basic:
		var err1, err2 error
		id, err1 = url.QueryUnescape(user)
		secret, err2 = url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return "", "", true, "malformed Basic credentials"
		}
		return id, secret, true, ""
	default:
		return form.Get("client_id"), form.Get("client_secret"), false, ""
	}
}

// tokenFailed answers a token request the store could not serve.
func (a *API) tokenFailed(w http.ResponseWriter, r *http.Request, err error) {
	a.cfg.Logger.Error("token request failed", "path", r.URL.Path, "error", err)
	switch gcerrors.Code(err) {
	case gcerrors.DeadlineExceeded, gcerrors.ResourceExhausted:
		writeOAuthError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "try again later")
	default:
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "internal error")
	}
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, oauthError{Error: code, Description: description})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
