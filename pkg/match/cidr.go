package match

import (
	"fmt"
	"net/netip"
)

// ValueError is a filter whose value is wrong in one of its items: Item is
// the index of the bad element when the value is a list, -1 when the value
// is a single one. It lets the admin API point at the element.
type ValueError struct {
	Item   int
	Reason string
}

// Error returns the reason, naming the list element when there is one.
func (e *ValueError) Error() string {
	if e.Item < 0 {
		return "value: " + e.Reason
	}
	return fmt.Sprintf("value[%d]: %s", e.Item, e.Reason)
}

// cidrHint is the example the cidr errors give.
const cidrHint = "CIDR range like 10.0.0.0/8 or 2001:db8::/32"

// parseCIDRs decodes the value of a cidr filter: one CIDR string or a
// non-empty list of them. The ranges are kept masked, so that "10.1.2.3/8"
// means 10.0.0.0/8 as it does for most tools.
func parseCIDRs(value any) ([]netip.Prefix, error) {
	switch v := value.(type) {
	case string:
		p, err := parseCIDR(v, -1)
		if err != nil {
			return nil, err
		}
		return []netip.Prefix{p}, nil
	case []any:
		if len(v) == 0 {
			return nil, &ValueError{Item: -1, Reason: "must name at least one " + cidrHint}
		}
		out := make([]netip.Prefix, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, &ValueError{Item: i, Reason: "must be a string: a " + cidrHint}
			}
			p, err := parseCIDR(s, i)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	return nil, fmt.Errorf("op %q needs a JSON string or an array of strings, each a %s", "cidr", cidrHint)
}

// parseCIDR parses one CIDR range, item being its place in a list (-1: none).
func parseCIDR(s string, item int) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Addr().Zone() != "" {
		return netip.Prefix{}, &ValueError{Item: item, Reason: fmt.Sprintf("%q is not a %s", s, cidrHint)}
	}
	return p.Masked(), nil
}

// inCIDRs reports whether v is a string holding an IP address inside one of
// ranges. An IPv4 address written as IPv4-mapped IPv6 (::ffff:10.0.0.1) is
// taken as the IPv4 address, as a dual-stack server would log it.
func inCIDRs(v any, ranges []netip.Prefix) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	addr, err := netip.ParseAddr(s)
	if err != nil || addr.Zone() != "" {
		return false
	}
	addr = addr.Unmap()
	for _, p := range ranges {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
