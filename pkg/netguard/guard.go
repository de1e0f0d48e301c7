// Package netguard decides which network destinations a webhook may reach:
// public unicast addresses only, unless private targets are allowed.
package netguard

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// nonPublic lists the ranges a webhook may not reach unless private targets
// are allowed, beyond what netip.Addr's predicates already cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: may embed a private v4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4: may embed a private v4
}

// Public reports whether ip (a literal address) is a public unicast
// address: not loopback, private (RFC 1918, IPv6 ULA), CGNAT, link-local
// (which holds the cloud metadata address 169.254.169.254), multicast,
// unspecified or reserved. An IPv4-mapped IPv6 address is judged as the IPv4
// address it carries. Anything that does not parse is not public.
func Public(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap().WithZone("")
	if !addr.IsGlobalUnicast() || addr.IsPrivate() || addr.IsLoopback() ||
		addr.IsLinkLocalUnicast() || addr.IsMulticast() || addr.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// ErrNotPublic is returned for a destination that is not a public address.
var ErrNotPublic = errors.New("refused: non-public address")

// Control is a net.Dialer Control hook that refuses to connect to a
// non-public address. It sees the address actually dialed, after DNS, so a
// name that resolves (or re-resolves) to a private address cannot get past it.
func Control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if !Public(host) {
		return ErrNotPublic
	}
	return nil
}

// CheckURL reports why a webhook URL is unacceptable: not absolute http or
// https, no host, credentials in it, or — unless allowPrivate — a host that
// is a non-public literal address or a localhost name. Names are resolved
// only when dialing, where Control checks them.
func CheckURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http or https URL")
	}
	if u.User != nil {
		return errors.New("must not contain credentials; use a custom header")
	}
	if u.Fragment != "" {
		return errors.New("must not contain a fragment")
	}
	if allowPrivate {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return errors.New("must not point at localhost (private targets are not allowed)")
	}
	if _, err := netip.ParseAddr(host); err == nil && !Public(host) {
		return errors.New("must not point at a non-public address (private targets are not allowed)")
	}
	return nil
}
