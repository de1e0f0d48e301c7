package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/heraldhq/herald/pkg/admin"
)

// openAPIValidator is built once from admin.OpenAPI(): it is safe for
// concurrent use.
var openAPIValidator = sync.OnceValues(func() (validator.Validator, error) {
	doc, err := libopenapi.NewDocument(admin.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("parse the admin OpenAPI document: %w", err)
	}
	v, errs := validator.NewValidator(doc,
		config.WithFormatAssertions(), config.WithURLEncodedBodyValidation())
	if len(errs) > 0 {
		return nil, fmt.Errorf("build the admin OpenAPI validator: %w", errors.Join(errs...))
	}
	return v, nil
})

// Conform fails t (without stopping it) when an exchange with the admin API
// does not conform to the API's OpenAPI document; see Mismatches. req must
// be replayable: its body, if any, comes from req.GetBody (http.NewRequest
// sets it for in-memory bodies). body is the response body already read.
func Conform(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	problems, err := Mismatches(req, resp, body)
	if err != nil {
		t.Errorf("%s %s: cannot check against the OpenAPI document: %v", req.Method, req.URL.RequestURI(), err)
		return
	}
	for _, p := range problems {
		t.Errorf("%s %s → %d does not conform to the OpenAPI document: %s\nresponse: %.500s",
			req.Method, req.URL.RequestURI(), resp.StatusCode, p, body)
	}
}

// Mismatches checks one exchange against the admin API's OpenAPI document
// with libopenapi-validator and returns the validator's messages:
//   - the response must be documented for the operation (status, content
//     type, schema);
//   - a request the document calls invalid (parameters, body, missing
//     credentials) must be refused with a 4xx: the API may refuse more than
//     the document says (semantic checks), never accept less;
//   - a path or method the document does not know must be answered 404
//     with {"detail": string}.
func Mismatches(req *http.Request, resp *http.Response, body []byte) ([]string, error) {
	v, err := openAPIValidator()
	if err != nil {
		return nil, err
	}
	r, err := replay(req)
	if err != nil {
		return nil, err
	}
	reqOK, reqErrs := v.ValidateHttpRequestSync(r)
	if routeMissing(reqErrs) {
		if resp.StatusCode == http.StatusNotFound && isErrorDetail(body) {
			return nil, nil
		}
		return messages("request", reqErrs), nil
	}
	var out []string
	if !reqOK && resp.StatusCode < 400 {
		out = append(out, messages("request the document calls invalid was accepted", reqErrs)...)
	}
	if r, err = replay(req); err != nil {
		return nil, err
	}
	rc := *resp
	rc.Body = io.NopCloser(bytes.NewReader(body))
	rc.Request = r
	if ok, errs := v.ValidateHttpResponse(r, &rc); !ok {
		out = append(out, messages("response", errs)...)
	}
	return out, nil
}

// replay returns a copy of req whose body can be read again.
func replay(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = b
	} else if req.Body != nil && req.Body != http.NoBody {
		return nil, errors.New("request body cannot be replayed (no GetBody)")
	}
	return r, nil
}

func routeMissing(errs []*liberrors.ValidationError) bool {
	for _, e := range errs {
		if e.IsPathMissingError() || e.IsOperationMissingError() {
			return true
		}
	}
	return false
}

func isErrorDetail(body []byte) bool {
	var e struct {
		Detail *string `json:"detail"`
	}
	return json.Unmarshal(body, &e) == nil && e.Detail != nil
}

func messages(what string, errs []*liberrors.ValidationError) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, what+": "+e.Error())
	}
	return out
}

// Transport returns a RoundTripper that sends requests through next
// (http.DefaultTransport when nil) and checks every exchange with Conform.
// Requests must be replayable (see Conform); the response body is read
// whole and handed on unchanged.
func Transport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return conformingTransport{t: t, next: next}
}

type conformingTransport struct {
	t    testing.TB
	next http.RoundTripper
}

func (c conformingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	Conform(c.t, req, resp, body)
	return resp, nil
}
