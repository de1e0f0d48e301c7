package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrNotPublic is matched (errors.Is) by every refusal of a non-public
// address; *RefusedError says which kind.
var ErrNotPublic = errors.New("refused: non-public address")

// ErrPlainHTTP refuses a plain-http connection to a public address when
// https is required.
var ErrPlainHTTP = errors.New("refused: plain http to a public address (https required)")

// RefusedError is a refusal of a non-public address. It matches ErrNotPublic.
type RefusedError struct {
	Reason Reason
}

func (e *RefusedError) Error() string { return "refused: " + string(e.Reason) + " address" }

// Unwrap makes errors.Is(err, ErrNotPublic) hold.
func (e *RefusedError) Unwrap() error { return ErrNotPublic }

// Policy says which destinations webhooks may reach. The zero Policy allows
// public addresses only, over http or https.
type Policy struct {
	// AllowPrivate lets webhooks reach every non-public address (see
	// Classify): loopback, private, link-local, metadata… Defaults to false.
	AllowPrivate bool
	// Allowed are ranges webhooks may reach even when AllowPrivate is
	// false, and over plain http even when RequireHTTPS (e.g. an internal
	// receiver at 10.1.2.0/24). Defaults to none.
	Allowed []netip.Prefix
	// RequireHTTPS refuses plain http to an address that is public and not
	// in Allowed. Defaults to false.
	RequireHTTPS bool

	// classify replaces Classify in tests; nil means Classify.
	classify func(netip.Addr) Reason
}

// Check returns nil when p lets a connection reach addr, and otherwise a
// *RefusedError or ErrPlainHTTP. plain says the connection will carry plain
// http.
func (p Policy) Check(addr netip.Addr, plain bool) error {
	if p.allowed(addr) {
		return nil
	}
	classify := p.classify
	if classify == nil {
		classify = Classify
	}
	if r := classify(addr); r != Public {
		if p.AllowPrivate {
			return nil
		}
		return &RefusedError{Reason: r}
	}
	if plain && p.RequireHTTPS {
		return ErrPlainHTTP
	}
	return nil
}

// allowed reports whether addr, with no zone and unmapped, is in p.Allowed.
func (p Policy) allowed(addr netip.Addr) bool {
	a := addr.WithZone("")
	u := a.Unmap()
	for _, pfx := range p.Allowed {
		if pfx.Contains(a) || pfx.Contains(u) {
			return true
		}
	}
	return false
}

// Control is a net.Dialer Control hook that refuses an address p does not
// allow. It sees the address actually dialed, after DNS, so a name that
// resolves (or re-resolves) to a private address cannot get past it. It
// does not know the scheme; ControlContext does.
func (p Policy) Control(_, address string, _ syscall.RawConn) error {
	return p.control(address, false)
}

// ControlContext is a net.Dialer ControlContext hook: Control, and, for a
// dial whose context is marked by MarkPlainHTTP's transport, the https
// requirement.
func (p Policy) ControlContext(ctx context.Context, _, address string, _ syscall.RawConn) error {
	return p.control(address, isPlainHTTP(ctx))
}

func (p Policy) control(address string, plain bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q is not an IP address", ErrNotPublic, host)
	}
	return p.Check(addr, plain)
}

// ParsePrefixes parses a comma-separated list of CIDRs; a bare address
// stands for itself alone (/32 or /128). Prefixes are masked, and an
// IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) becomes the IPv4 one.
// Zones are not accepted. Empty items are skipped.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(item)
		if err != nil {
			addr, aerr := netip.ParseAddr(item)
			if aerr != nil || addr.Zone() != "" {
				return nil, fmt.Errorf("%q is not a CIDR like 10.1.2.0/24", item)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		if pfx.Addr().Is4In6() && pfx.Bits() >= 96 {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		out = append(out, pfx.Masked())
	}
	return out, nil
}
