package outbound_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// An answer from an address reachable only through the allow-list is
// marked as a private target's, on a new connection and on a reused one.
func TestSendMarksPrivateTarget(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "internal")
	}))
	t.Cleanup(srv.Close)
	client := outbound.NewClient(outbound.ClientConfig{
		AllowedTargets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	sender := outbound.Sender{Client: client}
	for i := range 2 {
		a := sender.Send(context.Background(), outbound.Request{URL: srv.URL, Secrets: []signature.Secret{{Key: []byte("k")}}})
		if a.StatusCode != 200 || a.ResponseBody != "internal" || !a.PrivateTarget {
			t.Fatalf("attempt %d: %+v, want a private target's answer", i+1, a)
		}
	}
}
