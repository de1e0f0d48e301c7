package netguard

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzClassify: any address, from 4 or 16 raw bytes or from text, gets one
// of the known reasons without panicking; the reason ignores zones and
// IPv4 mapping; an address called public is one the standard library's
// predicates call global unicast, round-trips through its text form, and is
// the only kind the zero Policy lets through.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::",
		"fe80::1%eth0", "2001:4860:4860::8888", "8.8.8.8", "\x7f\x00\x00\x01", "::127.0.0.1"} {
		f.Add([]byte(s))
	}
	known := map[Reason]bool{Public: true, Loopback: true, Private: true, CGNAT: true, ULA: true,
		LinkLocal: true, Metadata: true, Multicast: true, Unspecified: true, Reserved: true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var addr netip.Addr
		switch len(raw) {
		case 4:
			addr = netip.AddrFrom4([4]byte(raw))
		case 16:
			addr = netip.AddrFrom16([16]byte(raw))
		default:
			var err error
			if addr, err = netip.ParseAddr(string(raw)); err != nil {
				return
			}
		}
		r := Classify(addr)
		if !known[r] {
			t.Fatalf("Classify(%s) = %q, not a known reason", addr, r)
		}
		if addr.Is6() {
			if z := Classify(addr.WithZone("eth0")); z != r {
				t.Fatalf("Classify(%s) = %q but with a zone %q", addr, r, z)
			}
		}
		if addr.Is4() {
			if m := Classify(netip.AddrFrom16(addr.As16())); m != r {
				t.Fatalf("Classify(%s) = %q but IPv4-mapped %q", addr, r, m)
			}
		}
		if refused := (Policy{}).Check(addr, false) != nil; refused != (r != Public) {
			t.Fatalf("Classify(%s) = %q but the zero Policy refused=%v", addr, r, refused)
		}
		if r != Public {
			return
		}
		u := addr.Unmap()
		if !u.IsGlobalUnicast() || u.IsPrivate() || u.IsLoopback() || u.IsLinkLocalUnicast() ||
			u.IsMulticast() || u.IsUnspecified() {
			t.Fatalf("Classify(%s) = public, the standard library disagrees", addr)
		}
		back, err := netip.ParseAddr(addr.String())
		if err != nil || Classify(back) != Public {
			t.Fatalf("public %s does not round-trip: %v", addr, err)
		}
	})
}

// FuzzCheckURL: CheckURL never panics; a URL it accepts parses, is http or
// https with a host, makes a request, and — under the zero Policy — has no
// localhost name or non-public literal host. Policies are ordered: what a
// stricter one accepts, a looser one accepts too.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://example.com/hook", "http://127.0.0.1:8080/", "http://[::ffff:127.0.0.1]/",
		"http://LOCALHOST./", "http://0x7f.1/", "http://[fe80::1%25eth0]:80/", "https://user@h/", "http://h:0/",
		"http://2130706433/", "https://xn--bcher-kva.example/a?b#c"} {
		f.Add(s)
	}
	strict := Policy{}
	https := Policy{RequireHTTPS: true}
	loose := Policy{AllowPrivate: true}
	f.Fuzz(func(t *testing.T, raw string) {
		errHTTPS, errStrict, errLoose := https.CheckURL(raw), strict.CheckURL(raw), loose.CheckURL(raw)
		if errHTTPS == nil && errStrict != nil || errStrict == nil && errLoose != nil {
			t.Fatalf("CheckURL(%q): require https %v, strict %v, private allowed %v", raw, errHTTPS, errStrict, errLoose)
		}
		if errLoose != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("accepted %q: parse %v, scheme %q, host %q", raw, err, u.Scheme, u.Hostname())
		}
		if _, err := http.NewRequest(http.MethodPost, raw, nil); err != nil {
			t.Fatalf("accepted %q, but no request can be made of it: %v", raw, err)
		}
		if errStrict != nil {
			return
		}
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		if host == "localhost" || strings.HasSuffix(host, ".localhost") {
			t.Fatalf("strict policy accepted localhost URL %q", raw)
		}
		if addr, err := netip.ParseAddr(u.Hostname()); err == nil && Classify(addr) != Public {
			t.Fatalf("strict policy accepted %q, whose host is %s", raw, Classify(addr))
		}
		if errHTTPS == nil && u.Scheme != "https" {
			t.Fatalf("https required, yet %q was accepted", raw)
		}
	})
}
