package outbound

import (
	"context"
	"net"
	"net/http/httptrace"
	"net/netip"
	"sync/atomic"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/netguard"
)

// tracePrivate returns ctx with a trace that sets private when the
// connection a request gets (dialed or reused) is to a non-public address:
// one the netguard policy let through only because private targets are
// allowed or the address is allow-listed.
func tracePrivate(ctx context.Context, private *atomic.Bool) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if info.Conn != nil && nonPublic(info.Conn.RemoteAddr()) {
				private.Store(true)
			}
		},
	})
}

// nonPublic reports whether addr is a TCP address that is not public (see
// netguard.Classify). An address it cannot read is taken as non-public.
func nonPublic(addr net.Addr) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return true
	}
	return netguard.Classify(ap.Addr()) != netguard.Public
}

// WithoutAnswer empties what a private target's answer says beyond its
// status: the body, and a redirect's Location in the error. Such an answer
// comes from inside the deployment's network, which every tenant's webhooks
// share.
func WithoutAnswer(a herald.Attempt) herald.Attempt {
	a.ResponseBody = ""
	if a.StatusCode >= 300 && a.StatusCode < 400 {
		a.Error = "redirect not followed"
	}
	return a
}
