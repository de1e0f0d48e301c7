package netguard

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

// TestMarkPlainHTTPReachesTheDialer proves that the https requirement is
// applied on the dial of a plain-http request and only there. Only loopback
// is dialed: the policy's classifier calls every address public.
func TestMarkPlainHTTPReachesTheDialer(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	handler := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) })
	plainSrv := httptest.NewServer(handler)
	defer plainSrv.Close()
	tlsSrv := httptest.NewTLSServer(handler)
	defer tlsSrv.Close()

	client := func(p Policy) *http.Client {
		p.classify = func(netip.Addr) Reason { return Public }
		transport := tlsSrv.Client().Transport.(*http.Transport).Clone()
		dialer := &net.Dialer{Timeout: time.Second, ControlContext: p.ControlContext}
		transport.DialContext = dialer.DialContext
		return &http.Client{Transport: MarkPlainHTTP(transport)}
	}
	get := func(c *http.Client, url string) error {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	strict := client(Policy{RequireHTTPS: true})
	if err := get(strict, plainSrv.URL); !errors.Is(err, ErrPlainHTTP) {
		t.Errorf("plain http with RequireHTTPS: %v, want ErrPlainHTTP", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("receiver hit %d times over refused plain http", n)
	}
	if err := get(strict, tlsSrv.URL); err != nil {
		t.Errorf("https with RequireHTTPS: %v", err)
	}
	if err := get(client(Policy{}), plainSrv.URL); err != nil {
		t.Errorf("plain http without RequireHTTPS: %v", err)
	}
	listed := client(Policy{RequireHTTPS: true, Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	if err := get(listed, plainSrv.URL); err != nil {
		t.Errorf("plain http to an allow-listed address: %v", err)
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("receivers hit %d times, want 3", n)
	}
}
