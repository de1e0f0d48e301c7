// Package netguard decides which network destinations a webhook may reach:
// public unicast addresses only, unless private targets are allowed or a
// range is allow-listed, and over https only when that is required.
package netguard

import "net/netip"

// Reason says why an address is not public. The empty Reason means public.
type Reason string

// The reasons Classify gives.
const (
	Public      Reason = ""
	Loopback    Reason = "loopback"
	Private     Reason = "private"     // RFC 1918
	CGNAT       Reason = "cgnat"       // 100.64.0.0/10, RFC 6598
	ULA         Reason = "ula"         // fc00::/7, IPv6 unique local
	LinkLocal   Reason = "link-local"  // 169.254.0.0/16, fe80::/10
	Metadata    Reason = "metadata"    // cloud instance metadata endpoints
	Multicast   Reason = "multicast"   // 224.0.0.0/4, ff00::/8
	Unspecified Reason = "unspecified" // 0.0.0.0, ::
	Reserved    Reason = "reserved"    // documentation, benchmarking, broadcast, future use, deprecated forms
)

type rangeReason struct {
	prefix netip.Prefix
	reason Reason
}

func ranges(r Reason, prefixes ...string) []rangeReason {
	out := make([]rangeReason, len(prefixes))
	for i, p := range prefixes {
		out[i] = rangeReason{netip.MustParsePrefix(p), r}
	}
	return out
}

// v4Ranges and v6Ranges are searched in order; the first match wins, so the
// metadata addresses come before the ranges that hold them.
var (
	v4Ranges = concat(
		ranges(Metadata, "169.254.169.254/32", "169.254.170.2/32", "169.254.170.23/32",
			"100.100.100.200/32", "192.0.0.192/32"), // AWS (EC2, ECS, EKS), Alibaba, Oracle
		ranges(Unspecified, "0.0.0.0/32"),
		ranges(Reserved, "0.0.0.0/8"), // "this network": Linux dials 0.x.y.z locally
		ranges(Loopback, "127.0.0.0/8"),
		ranges(Private, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
		ranges(CGNAT, "100.64.0.0/10"),
		ranges(LinkLocal, "169.254.0.0/16"),
		ranges(Multicast, "224.0.0.0/4"),
		ranges(Reserved, "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15",
			"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4"), // 240/4 holds 255.255.255.255
	)
	v6Ranges = concat(
		ranges(Unspecified, "::/128"),
		ranges(Loopback, "::1/128"),
		ranges(Metadata, "fd00:ec2::254/128", "fd00:ec2::23/128"), // AWS EC2, EKS pod identity
		ranges(ULA, "fc00::/7"),
		ranges(LinkLocal, "fe80::/10"),
		ranges(Multicast, "ff00::/8"),
		ranges(Reserved, "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
			"3fff::/20", "5f00::/16"),
	)
	global6 = netip.MustParsePrefix("2000::/3")
)

// Forms of IPv6 address that carry an IPv4 address in their bits.
var (
	compat4 = netip.MustParsePrefix("::/96")           // IPv4-compatible (deprecated)
	siit4   = netip.MustParsePrefix("::ffff:0:0:0/96") // IPv4-translated (RFC 2765)
	nat64   = netip.MustParsePrefix("64:ff9b::/96")    // NAT64 well-known prefix
	sixTo4  = netip.MustParsePrefix("2002::/16")       // 6to4: the IPv4 address follows 2002:
)

func concat(lists ...[]rangeReason) []rangeReason {
	var out []rangeReason
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Classify returns why addr is not a public unicast address, or Public ("").
// It is a pure function of the address; the zone is ignored. An IPv6 address
// that carries an IPv4 one — IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
// (::a.b.c.d), IPv4-translated, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) — is
// judged by the IPv4 address it carries, so ::ffff:127.0.0.1 is loopback;
// the deprecated IPv4-compatible and -translated forms are reserved even when
// they carry a public address. IPv6 outside 2000::/3 is reserved, and so is
// the zero Addr.
func Classify(addr netip.Addr) Reason {
	if !addr.IsValid() {
		return Reserved
	}
	addr = addr.WithZone("")
	if addr.Is4() || addr.Is4In6() {
		return search(v4Ranges, addr.Unmap())
	}
	if r := search(v6Ranges, addr); r != Public {
		return r
	}
	b := addr.As16()
	switch {
	case compat4.Contains(addr), siit4.Contains(addr):
		return orReserved(Classify(netip.AddrFrom4([4]byte(b[12:]))))
	case nat64.Contains(addr):
		return Classify(netip.AddrFrom4([4]byte(b[12:])))
	case sixTo4.Contains(addr):
		return Classify(netip.AddrFrom4([4]byte(b[2:6])))
	case !global6.Contains(addr):
		return Reserved
	}
	return Public
}

func search(list []rangeReason, addr netip.Addr) Reason {
	for _, rr := range list {
		if rr.prefix.Contains(addr) {
			return rr.reason
		}
	}
	return Public
}

func orReserved(r Reason) Reason {
	if r == Public {
		return Reserved
	}
	return r
}
