package deliver

import (
	"net"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/netguard"
)

// ClientConfig configures the shared HTTP client deliveries are sent with.
type ClientConfig struct {
	// Timeout bounds one request, response body included. Defaults to 10s.
	Timeout time.Duration
	// AllowPrivate lets requests reach loopback, private, link-local and
	// other non-public addresses. Defaults to false.
	AllowPrivate bool
	// MaxConnsPerHost bounds connections to one receiver. Defaults to 64.
	MaxConnsPerHost int
}

// NewClient returns the keep-alive client every delivery shares: no redirects
// (a 3xx is a failed attempt), no proxy from the environment, and a dialer that
// refuses non-public addresses unless AllowPrivate — checked on the address
// actually dialed, so a DNS answer cannot slip past it.
func NewClient(cfg ClientConfig) *http.Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxConnsPerHost <= 0 {
		cfg.MaxConnsPerHost = 64
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		dialer.Control = netguard.Control
	}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   cfg.MaxConnsPerHost,
		MaxConnsPerHost:       cfg.MaxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
