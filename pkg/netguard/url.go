package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// loopbacks are the addresses a localhost name stands for.
var loopbacks = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}

// CheckURL reports why a webhook URL is unacceptable under p, in words fit
// for an API client: not an absolute http or https URL, credentials or a
// fragment in it, a bad port, a host that is not an IP literal or a DNS name
// (see below), a host p does not allow — a non-public literal address or a
// localhost name, unless private targets are allowed or the address is in
// p.Allowed — or plain http to any other host when p.RequireHTTPS.
//
// Names are resolved only when dialing, where Control checks the addresses
// they resolve to. Go's URL parser keeps numeric forms other than dotted-quad
// IPv4 (0x7f.1, 127.1, 2130706433, 0177.0.0.1) as host names, which some
// resolvers (glibc's) read as addresses; since no DNS name ends in a
// numeric label, CheckURL refuses a name whose last label is numeric.
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http or https URL")
	}
	if u.User != nil {
		return errors.New("must not contain credentials; use a custom header")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return errors.New("must not contain a fragment")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return errors.New("port must be between 1 and 65535")
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return errors.New("port must be between 1 and 65535")
	}
	host := strings.ToLower(u.Hostname())
	if addr, err := netip.ParseAddr(host); err == nil {
		return p.checkAddrs(u.Scheme == "http", addr)
	}
	host = strings.TrimSuffix(host, ".")
	if err := checkHostname(host); err != nil {
		return err
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return p.checkAddrs(u.Scheme == "http", loopbacks...)
	}
	if u.Scheme == "http" && p.RequireHTTPS {
		return errors.New("must use https: plain http is allowed only to private or allow-listed addresses")
	}
	return nil
}

// checkAddrs returns nil when p lets a connection reach any of addrs.
func (p Policy) checkAddrs(plain bool, addrs ...netip.Addr) error {
	var err error
	for _, a := range addrs {
		if err = p.Check(a, plain); err == nil {
			return nil
		}
	}
	var refused *RefusedError
	if errors.As(err, &refused) {
		return fmt.Errorf("must not point at a %s address (private targets are not allowed)", refused.Reason)
	}
	return errors.New("must use https: plain http is allowed only to private or allow-listed addresses")
}

// checkHostname reports why name (lower case, without a trailing dot) is not
// a DNS name: labels of 1 to 63 letters, digits, '-' or '_', at most 253
// characters, and a last label that is not numeric.
func checkHostname(name string) error {
	if name == "" || len(name) > 253 {
		return errors.New("host must be a DNS name or an IP address")
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return errors.New("host must be a DNS name or an IP address")
		}
		for _, c := range []byte(l) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return errors.New("host must be a DNS name (ASCII; use the xn-- form of an international name) or an IP address")
			}
		}
	}
	if numeric(labels[len(labels)-1]) {
		return errors.New("host is not a dotted-quad IPv4 address nor a DNS name (numeric forms like 0x7f.1 or 2130706433 are not accepted)")
	}
	return nil
}

// numeric reports whether a label is a number in the forms inet_aton reads:
// decimal, octal (leading 0) or hexadecimal (0x).
func numeric(label string) bool {
	digits := strings.TrimPrefix(label, "0x")
	if digits == "" {
		return label == "0x"
	}
	for _, c := range []byte(digits) {
		if !(c >= '0' && c <= '9' || digits != label && c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
