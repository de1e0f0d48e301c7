package adminfn

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"github.com/heraldhq/herald/pkg/config"
)

// Defaults of the admin API's own server, for a Config that leaves them 0.
const (
	defaultMaxConns    = 512
	defaultReadTimeout = 10 * time.Second
	// maxHeaderTimeout bounds reading a request's headers, within the
	// read timeout.
	maxHeaderTimeout = 10 * time.Second
)

// Listen opens addr for the admin API's own server (local mode, the
// long-running admin binary), accepting at most c.AdminMaxConns connections
// at once: past the cap, new ones wait in the kernel's listen backlog, not
// accepted, until one closes. Connections that hold a slot without sending
// are cut off by the server's read timeout (see NewServer).
func Listen(addr string, c config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	n := c.AdminMaxConns
	if n <= 0 {
		n = defaultMaxConns
	}
	return netutil.LimitListener(ln, n), nil
}

// NewServer returns the server of the admin API h where Herald runs its own
// (on Lambda the Function URL fronts it): a request, headers and body,
// must be read within c.AdminReadTimeout, so a client trickling its body
// cannot hold a connection; idle keep-alive connections close after 2
// minutes.
func NewServer(h http.Handler, c config.Config) *http.Server {
	read := c.AdminReadTimeout
	if read <= 0 {
		read = defaultReadTimeout
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: min(read, maxHeaderTimeout),
		ReadTimeout: read, IdleTimeout: 2 * time.Minute}
}
