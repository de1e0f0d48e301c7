package lambdart

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Result is a function's answer to one invocation.
type Result struct {
	RequestID string
	// Payload is the response body as the function sent it (for a streamed
	// Function URL response: prelude, separator and body).
	Payload     []byte
	ContentType string
	// Streamed is whether the function streamed its response (chunked, or
	// the streaming response mode header).
	Streamed bool
	// HTTP is the Function URL response, when the content type is
	// ContentTypeHTTP.
	HTTP *HTTPResponse
	// Error is the error the function reported (on /error, or in the
	// trailers of a streamed response); nil on success.
	Error *FunctionError
}

// FunctionError is an error a function reported.
type FunctionError struct {
	Message    string   `json:"errorMessage"`
	Type       string   `json:"errorType"`
	StackTrace []string `json:"stackTrace,omitempty"`
}

func (e *FunctionError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Type + ": " + e.Message
}

// HTTPResponse is a Function URL response a function streamed.
type HTTPResponse struct {
	StatusCode int
	Header     http.Header
	Cookies    []string
	Body       []byte
}

// preludeSeparator ends the JSON prelude of a streamed HTTP response.
var preludeSeparator = make([]byte, 8)

func parseHTTPResponse(b []byte) (*HTTPResponse, error) {
	i := bytes.Index(b, preludeSeparator)
	if i < 0 {
		return nil, errors.New("no prelude separator (8 NUL bytes) in the streamed response")
	}
	var prelude struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Cookies    []string          `json:"cookies"`
	}
	if err := json.Unmarshal(b[:i], &prelude); err != nil {
		return nil, fmt.Errorf("prelude: %w", err)
	}
	if prelude.StatusCode == 0 {
		prelude.StatusCode = http.StatusOK
	}
	h := http.Header{}
	for k, v := range prelude.Headers {
		h.Set(k, v)
	}
	return &HTTPResponse{StatusCode: prelude.StatusCode, Header: h, Cookies: prelude.Cookies,
		Body: b[i+len(preludeSeparator):]}, nil
}

// trailerError reads the error a streamed response ended with: its type,
// and its base64 error document.
func trailerError(t http.Header) *FunctionError {
	fe := &FunctionError{Type: t.Get(HeaderErrorType)}
	if b, err := base64.StdEncoding.DecodeString(t.Get(HeaderErrorBody)); err == nil {
		_ = json.Unmarshal(b, fe)
		if fe.Message == "" {
			fe.Message = string(b)
		}
	}
	if fe.Type == "" {
		fe.Type = t.Get(HeaderErrorType)
	}
	return fe
}
