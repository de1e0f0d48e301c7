package outbound

import (
	"net"
	"testing"
)

func TestNonPublic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("93.184.216.34"), Port: 443}, false},
		{&net.TCPAddr{IP: net.ParseIP("2606:4700::1"), Port: 443}, false},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 80}, true},
		{&net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 80}, true},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.168.1.1"), Port: 80}, true},
		{&net.UnixAddr{Name: "/tmp/sock", Net: "unix"}, true},
	} {
		if got := nonPublic(tc.addr); got != tc.want {
			t.Errorf("nonPublic(%v) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}
