package netguard_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/netguard"
	"github.com/heraldhq/herald/pkg/outbound"
)

// TestDeliverClientGuardsLoopback sends through outbound.NewClient to
// receivers on 127.0.0.1 and [::1], by every spelling of a loopback host:
// refused by the dialer (the receiver never hit) unless private targets are
// allowed or the address is allow-listed. Only loopback is ever dialed.
func TestDeliverClientGuardsLoopback(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	handler := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) })
	v4 := httptest.NewServer(handler)
	defer v4.Close()
	_, v4Port, _ := net.SplitHostPort(v4.Listener.Addr().String())
	urls := map[string]string{
		"localhost":          "http://localhost:" + v4Port + "/hook",
		"127.0.0.1":          "http://127.0.0.1:" + v4Port + "/hook",
		"[::ffff:127.0.0.1]": "http://[::ffff:127.0.0.1]:" + v4Port + "/hook",
	}
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Logf("no IPv6 loopback (%v): skipping [::1]", err)
	} else {
		v6 := &httptest.Server{Listener: ln, Config: &http.Server{Handler: handler}}
		v6.Start()
		defer v6.Close()
		urls["[::1]"] = v6.URL + "/hook"
	}
	loopback4 := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	for _, tc := range []struct {
		name    string
		cfg     outbound.ClientConfig
		reached func(host string) bool
	}{
		{"strict", outbound.ClientConfig{}, func(string) bool { return false }},
		{"strict, https required", outbound.ClientConfig{RequireHTTPS: true}, func(string) bool { return false }},
		{"private allowed", outbound.ClientConfig{AllowPrivate: true, RequireHTTPS: true},
			func(string) bool { return true }},
		{"127.0.0.0/8 allow-listed", outbound.ClientConfig{AllowedTargets: loopback4, RequireHTTPS: true},
			func(host string) bool { return host != "[::1]" }},
	} {
		client := outbound.NewClient(outbound.ClientConfig{Timeout: 5 * time.Second, AllowPrivate: tc.cfg.AllowPrivate,
			AllowedTargets: tc.cfg.AllowedTargets, RequireHTTPS: tc.cfg.RequireHTTPS})
		for host, u := range urls {
			before := hits.Load()
			resp, err := client.Post(u, "application/json", nil)
			if err == nil {
				resp.Body.Close()
			}
			hit := hits.Load() != before
			if want := tc.reached(host); err == nil != want || hit != want {
				t.Errorf("%s, host %s: err %v, receiver hit %v; want reached %v", tc.name, host, err, hit, want)
				continue
			}
			var uerr *url.Error
			if err != nil && (!errors.As(err, &uerr) || !errors.Is(err, netguard.ErrNotPublic)) {
				t.Errorf("%s, host %s: refused with %v, want netguard.ErrNotPublic", tc.name, host, err)
			}
		}
	}
}
