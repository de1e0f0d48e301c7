package outbound

import (
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/heraldhq/herald/pkg/netguard"
)

// ClientConfig configures the shared HTTP client deliveries are sent with.
type ClientConfig struct {
	// Timeout bounds one request, response body included. Defaults to 10s.
	Timeout time.Duration
	// AllowPrivate lets requests reach loopback, private, link-local and
	// other non-public addresses (see netguard.Classify). Defaults to false.
	AllowPrivate bool
	// AllowedTargets are ranges requests may reach even when AllowPrivate
	// is false, and over plain http even when RequireHTTPS. Defaults to
	// none.
	AllowedTargets []netip.Prefix
	// RequireHTTPS refuses a plain-http request to a public address that
	// is not in AllowedTargets. Defaults to false.
	RequireHTTPS bool
	// MaxConnsPerHost bounds connections to one receiver. Defaults to 64.
	MaxConnsPerHost int
}

// NewClient returns the keep-alive client every delivery shares: no redirects
// (a 3xx is a failed attempt), no proxy from the environment, and a dialer that
// refuses what the netguard.Policy built from cfg does not allow —
// non-public addresses unless AllowPrivate or allow-listed, plain http to a
// public address when RequireHTTPS — checked on the address actually dialed,
// so a DNS answer cannot slip past it. Refusals match netguard.ErrNotPublic
// or netguard.ErrPlainHTTP.
func NewClient(cfg ClientConfig) *http.Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxConnsPerHost <= 0 {
		cfg.MaxConnsPerHost = 64
	}
	policy := netguard.Policy{AllowPrivate: cfg.AllowPrivate, Allowed: cfg.AllowedTargets,
		RequireHTTPS: cfg.RequireHTTPS}
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second,
		ControlContext: policy.ControlContext}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   cfg.MaxConnsPerHost,
		MaxConnsPerHost:       cfg.MaxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		// Each connection keeps a read and a write buffer (4 KiB each by
		// default) while it lives: a webhook request's head and a
		// receiver's answer fit 2 KiB, and a larger body streams through.
		ReadBufferSize:  2 << 10,
		WriteBufferSize: 2 << 10,
	}
	return &http.Client{
		Transport: netguard.MarkPlainHTTP(transport),
		Timeout:   cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
