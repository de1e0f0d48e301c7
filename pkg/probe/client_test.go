package probe

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client calls the admin API over HTTP without judging the answers: the
// probes decide what an answer means.
type client struct {
	base string
	hc   *http.Client
}

func newClient(base string) *client {
	return &client{base: base, hc: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answer is what the API answered; status 0 when the request failed, with
// the reason in body.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// decode decodes the answer's JSON body into out.
func (a answer) decode(out any) error { return json.Unmarshal(a.body, out) }

// ok reports a 2xx answer.
func (a answer) ok() bool { return a.status >= 200 && a.status < 300 }

// do sends method path with a bearer token ("" for none) and body: nil,
// raw bytes, a string, or a value sent as JSON.
func (c *client) do(token, method, path string, body any) answer {
	return c.doHeaders(method, path, body, bearerHeader(token))
}

// doHeaders is do with the request's headers given whole.
func (c *client) doHeaders(method, path string, body any, h http.Header) answer {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return answer{body: []byte(err.Error())}
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return answer{body: []byte(err.Error())}
	}
	req.Header = h.Clone()
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req)
}

// form posts a form to path.
func (c *client) form(path string, form url.Values) answer {
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return answer{body: []byte(err.Error())}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

func (c *client) send(req *http.Request) answer {
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{body: []byte(err.Error())}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

func bearerHeader(token string) http.Header {
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return h
}
