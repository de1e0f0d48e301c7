package netguard

import (
	"context"
	"net/http"
)

type plainHTTPKey struct{}

// MarkPlainHTTP wraps rt so that every plain-http request's context carries
// a mark that ControlContext reads: the connection dialed for it will carry
// unencrypted HTTP. http.Transport dials with (a detached copy of) the
// request's context and pools connections by scheme, so a connection dialed
// for an https request never serves a plain-http one, nor the reverse.
func MarkPlainHTTP(rt http.RoundTripper) http.RoundTripper {
	return markPlainHTTP{rt}
}

type markPlainHTTP struct{ next http.RoundTripper }

func (m markPlainHTTP) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL != nil && req.URL.Scheme == "http" {
		req = req.WithContext(context.WithValue(req.Context(), plainHTTPKey{}, true))
	}
	return m.next.RoundTrip(req)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// wrapped transport.
func (m markPlainHTTP) CloseIdleConnections() {
	if c, ok := m.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func isPlainHTTP(ctx context.Context) bool {
	plain, _ := ctx.Value(plainHTTPKey{}).(bool)
	return plain
}
