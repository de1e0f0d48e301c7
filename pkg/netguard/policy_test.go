package netguard

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

func TestPolicyControl(t *testing.T) {
	t.Parallel()
	listed := Policy{Allowed: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24"),
		netip.MustParsePrefix("fd00:1::/64")}, RequireHTTPS: true}
	plain := context.WithValue(context.Background(), plainHTTPKey{}, true)
	for _, tc := range []struct {
		policy  Policy
		ctx     context.Context
		address string
		want    error // nil, ErrNotPublic or ErrPlainHTTP
	}{
		{Policy{}, context.Background(), "127.0.0.1:80", ErrNotPublic},
		{Policy{}, context.Background(), "[::ffff:127.0.0.1]:80", ErrNotPublic},
		{Policy{}, context.Background(), "[fe80::1%eth0]:80", ErrNotPublic},
		{Policy{}, context.Background(), "0.0.0.0:80", ErrNotPublic},
		{Policy{}, context.Background(), "[::]:80", ErrNotPublic},
		{Policy{}, context.Background(), "localhost:80", ErrNotPublic}, // never a name
		{Policy{}, context.Background(), "8.8.8.8:443", nil},
		{Policy{}, plain, "8.8.8.8:80", nil},
		{Policy{AllowPrivate: true}, context.Background(), "169.254.169.254:80", nil},
		{Policy{RequireHTTPS: true}, plain, "8.8.8.8:80", ErrPlainHTTP},
		{Policy{RequireHTTPS: true}, context.Background(), "8.8.8.8:443", nil},
		{Policy{RequireHTTPS: true, AllowPrivate: true}, plain, "10.0.0.1:80", nil},
		{listed, plain, "10.1.2.3:80", nil},
		{listed, plain, "[::ffff:10.1.2.3]:80", nil},
		{listed, context.Background(), "10.1.3.3:80", ErrNotPublic},
		{listed, plain, "[fd00:1::5%eth0]:80", nil},
		{listed, plain, "[fd00:2::5]:80", ErrNotPublic},
	} {
		err := tc.policy.ControlContext(tc.ctx, "tcp", tc.address, nil)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%+v.ControlContext(plain=%v, %q) = %v, want %v",
				tc.policy, isPlainHTTP(tc.ctx), tc.address, err, tc.want)
		}
		if err := tc.policy.Control("tcp", tc.address, nil); errors.Is(err, ErrPlainHTTP) {
			t.Errorf("Control(%q) applied the https rule without a scheme: %v", tc.address, err)
		}
	}
	var refused *RefusedError
	if err := (Policy{}).Control("tcp", "169.254.169.254:80", nil); !errors.As(err, &refused) ||
		refused.Reason != Metadata || err.Error() != "refused: metadata address" {
		t.Errorf("Control(metadata) = %v, want a *RefusedError with reason metadata", err)
	}
}

func TestParsePrefixes(t *testing.T) {
	t.Parallel()
	got, err := ParsePrefixes(" 10.1.2.0/24, ,10.9.9.9, ::ffff:192.168.0.0/112,fd00::1/8,2001:db8::1 ")
	want := []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24"), netip.MustParsePrefix("10.9.9.9/32"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fd00::/8"),
		netip.MustParsePrefix("2001:db8::1/128")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePrefixes = %v, %v; want %v", got, err, want)
	}
	if got, err := ParsePrefixes(""); err != nil || got != nil {
		t.Errorf("ParsePrefixes(\"\") = %v, %v; want none", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.0/8;", "fe80::1%eth0", "10/8"} {
		if _, err := ParsePrefixes(bad); err == nil {
			t.Errorf("ParsePrefixes(%q) accepted it", bad)
		}
	}
}
