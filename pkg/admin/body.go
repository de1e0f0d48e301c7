package admin

import (
	"bytes"
	"io"
	"net/http"
)

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
