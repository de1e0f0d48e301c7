package netguard

import (
	"net/netip"
	"testing"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr string
		want Reason
	}{
		{"127.0.0.1", Loopback},
		{"127.1.2.3", Loopback},
		{"10.0.0.1", Private},
		{"172.16.0.1", Private},
		{"172.31.255.255", Private},
		{"192.168.1.1", Private},
		{"100.64.0.1", CGNAT},
		{"169.254.169.254", Metadata},
		{"169.254.170.2", Metadata},
		{"100.100.100.200", Metadata},
		{"169.254.1.1", LinkLocal},
		{"0.0.0.0", Unspecified},
		{"0.1.2.3", Reserved},
		{"224.0.0.1", Multicast},
		{"239.255.255.250", Multicast},
		{"255.255.255.255", Reserved},
		{"240.0.0.1", Reserved},
		{"192.0.2.1", Reserved},
		{"198.18.0.1", Reserved},
		{"::1", Loopback},
		{"::", Unspecified},
		{"fe80::1", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"fc00::1", ULA},
		{"fd12::1", ULA},
		{"fd00:ec2::254", Metadata},
		{"ff02::1", Multicast},
		{"fec0::1", Reserved}, // site-local, deprecated
		{"2001:db8::1", Reserved},
		{"2001::1", Reserved}, // Teredo
		{"::ffff:127.0.0.1", Loopback},
		{"::ffff:10.0.0.1", Private},
		{"::ffff:169.254.169.254", Metadata},
		{"::ffff:0.0.0.0", Unspecified},
		{"::127.0.0.1", Loopback},        // IPv4-compatible
		{"::8.8.8.8", Reserved},          // IPv4-compatible, deprecated
		{"::ffff:0:127.0.0.1", Loopback}, // IPv4-translated
		{"::ffff:0:8.8.8.8", Reserved},   // IPv4-translated, not routed
		{"64:ff9b::7f00:1", Loopback},    // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", Metadata}, // NAT64 of 169.254.169.254
		{"64:ff9b::a00:1", Private},      // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", Public},     // NAT64 of 8.8.8.8
		{"64:ff9b:1::1", Reserved},       // local-use NAT64
		{"2002:7f00:1::", Loopback},      // 6to4 of 127.0.0.1
		{"2002:a00:1::1", Private},       // 6to4 of 10.0.0.1
		{"2002:808:808::1", Public},      // 6to4 of 8.8.8.8
		{"8.8.8.8", Public},
		{"93.184.216.34", Public},
		{"::ffff:93.184.216.34", Public},
		{"2001:4860:4860::8888", Public},
		{"2606:4700::1111", Public},
		{"2606:4700::1111%eth0", Public},
		{"4000::1", Reserved}, // outside 2000::/3
	} {
		addr := netip.MustParseAddr(tc.addr)
		if got := Classify(addr); got != tc.want {
			t.Errorf("Classify(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
	if got := Classify(netip.Addr{}); got != Reserved {
		t.Errorf("Classify(zero Addr) = %q, want reserved", got)
	}
}
