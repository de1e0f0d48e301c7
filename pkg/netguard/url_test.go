package netguard

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	strict := Policy{}
	private := Policy{AllowPrivate: true}
	https := Policy{RequireHTTPS: true}
	httpsPrivate := Policy{AllowPrivate: true, RequireHTTPS: true}
	listed := Policy{Allowed: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24"),
		netip.MustParsePrefix("127.0.0.0/8")}, RequireHTTPS: true}
	for _, tc := range []struct {
		url    string
		policy Policy
		errHas string // "" means accepted
	}{
		{"https://example.com/hook", strict, ""},
		{"http://example.com:8080/hook?x=1", strict, ""},
		{"HTTPS://Example.COM./hook", strict, ""},
		{"https://xn--bcher-kva.example/", strict, ""},
		{"ftp://example.com/", strict, "absolute http or https"},
		{"/relative", strict, "absolute http or https"},
		{"https://", strict, "absolute http or https"},
		{"http:example.com", strict, "absolute http or https"},
		{"https://user:pw@example.com/", strict, "credentials"},
		{"https://example.com/#frag", strict, "fragment"},
		{"https://example.com/#", strict, "fragment"},
		{"https://example.com:0/", strict, "port"},
		{"https://example.com:65536/", strict, "port"},
		{"https://example.com:/", strict, "port"},
		{"https://bücher.example/", strict, "xn--"},
		{"https://a..b/", strict, "DNS name"},
		{"https://:443/", strict, "DNS name"},
		// Loopback in every spelling.
		{"http://localhost:8080/", strict, "loopback"},
		{"http://LOCALHOST./", strict, "loopback"},
		{"http://foo.localhost/", strict, "loopback"},
		{"http://127.0.0.1/", strict, "loopback"},
		{"http://[::1]/", strict, "loopback"},
		{"http://[::ffff:127.0.0.1]/", strict, "loopback"},
		{"http://[::ffff:7f00:1]/", strict, "loopback"},
		{"http://[64:ff9b::7f00:1]/", strict, "loopback"},
		{"http://[fe80::1%25eth0]/", strict, "link-local"},
		// Numeric forms Go keeps as host names and glibc reads as addresses.
		{"http://0x7f.1/", private, "numeric forms"},
		{"http://0x7f000001/", private, "numeric forms"},
		{"http://127.1/", private, "numeric forms"},
		{"http://2130706433/", private, "numeric forms"},
		{"http://0177.0.0.1/", private, "numeric forms"},
		{"http://127.000.0.1/", private, "numeric forms"},
		{"http://127.0.0.1./", private, "numeric forms"},
		{"http://1e100.net/", strict, ""},
		// Other non-public literals, with the reason in the message.
		{"http://169.254.169.254/latest/meta-data", strict, "metadata"},
		{"http://10.0.0.1/", strict, "private address"},
		{"http://100.64.0.1/", strict, "cgnat"},
		{"http://[fd12::1]/", strict, "ula"},
		{"http://0.0.0.0/", strict, "unspecified"},
		{"http://224.0.0.1/", strict, "multicast"},
		{"http://255.255.255.255/", strict, "reserved"},
		// Private targets allowed.
		{"http://127.0.0.1:9000/", private, ""},
		{"http://localhost:9000/", private, ""},
		{"http://[::1]:9000/", private, ""},
		// https required: plain http only to private (allowed) or allow-listed.
		{"http://example.com/", https, "must use https"},
		{"http://8.8.8.8/", https, "must use https"},
		{"https://example.com/", https, ""},
		{"http://127.0.0.1/", https, "loopback"},
		{"http://127.0.0.1/", httpsPrivate, ""},
		{"http://localhost/", httpsPrivate, ""},
		{"http://10.0.0.1/", httpsPrivate, ""},
		{"http://example.com/", httpsPrivate, "must use https"},
		// Allow-listed ranges: reachable, plain http included.
		{"http://10.1.2.3/", listed, ""},
		{"http://10.1.3.3/", listed, "private address"},
		{"http://[::ffff:10.1.2.3]/", listed, ""},
		{"http://localhost/", listed, ""},
		{"http://[::1]/", listed, "loopback"},
		{"http://example.com/", listed, "must use https"},
	} {
		err := tc.policy.CheckURL(tc.url)
		switch {
		case tc.errHas == "" && err != nil:
			t.Errorf("%+v.CheckURL(%q) = %v, want ok", tc.policy, tc.url, err)
		case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
			t.Errorf("%+v.CheckURL(%q) = %v, want an error with %q", tc.policy, tc.url, err, tc.errHas)
		}
	}
}
