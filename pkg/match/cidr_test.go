package match

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// cidrEvent carries addresses of each kind, and values that are no address.
const cidrEvent = `{
	"event_type": "secret.accessed",
	"data": {
		"v4": "10.0.1.50", "v4_public": "203.0.113.7",
		"v6": "2001:db8:0:1::42", "v6_loopback": "::1",
		"mapped": "::ffff:10.0.1.50", "zoned": "fe80::1%eth0",
		"host": "scaivault.example", "number": 167772161, "null": null,
		"list": ["10.0.1.50"], "padded": " 10.0.1.50"
	}
}`

func TestCIDR(t *testing.T) {
	t.Parallel()
	fields := decodeEnvelope(t, cidrEvent)
	tests := []struct {
		field, value string
		want         bool
	}{
		// IPv4.
		{"data.v4", `"10.0.0.0/8"`, true},
		{"data.v4", `"10.0.1.0/24"`, true},
		{"data.v4", `"10.0.1.50/32"`, true},
		{"data.v4", `"10.0.2.0/24"`, false},
		{"data.v4", `"192.168.0.0/16"`, false},
		{"data.v4", `"0.0.0.0/0"`, true},
		{"data.v4", `"10.9.9.9/8"`, true}, // host bits ignored
		{"data.v4_public", `"10.0.0.0/8"`, false},
		// IPv6.
		{"data.v6", `"2001:db8::/32"`, true},
		{"data.v6", `"2001:db8:0:2::/64"`, false},
		{"data.v6", `"::/0"`, true},
		{"data.v6_loopback", `"::1/128"`, true},
		// The families do not mix, except an IPv4-mapped address.
		{"data.v4", `"::/0"`, false},
		{"data.v6", `"0.0.0.0/0"`, false},
		{"data.mapped", `"10.0.0.0/8"`, true},
		// Lists: any range.
		{"data.v4", `["192.168.0.0/16", "10.0.0.0/8"]`, true},
		{"data.v6", `["10.0.0.0/8", "2001:db8::/32"]`, true},
		{"data.v4_public", `["192.168.0.0/16", "10.0.0.0/8", "fc00::/7"]`, false},
		// Not an address: never inside.
		{"data.zoned", `"fe80::/10"`, false},
		{"data.host", `"0.0.0.0/0"`, false},
		{"data.number", `"0.0.0.0/0"`, false},
		{"data.null", `"0.0.0.0/0"`, false},
		{"data.list", `"0.0.0.0/0"`, false},
		{"data.padded", `"0.0.0.0/0"`, false},
		{"data.missing", `"0.0.0.0/0"`, false},
	}
	for _, tt := range tests {
		f := herald.Filter{Field: tt.field, Op: herald.OpCIDR, Value: json.RawMessage(tt.value)}
		if got := matchOne(t, fields, f); got != tt.want {
			t.Errorf("%s cidr %s = %v, want %v", tt.field, tt.value, got, tt.want)
		}
	}
}

func TestValidateCIDR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value   string // "" means absent
		item    int    // the *ValueError's Item; -2: another error
		wantErr string // substring; "" means valid
	}{
		{`"10.0.0.0/8"`, 0, ""},
		{`"2001:db8::/32"`, 0, ""},
		{`["10.0.0.0/8", "fc00::/7"]`, 0, ""},
		{`"10.0.0.0/33"`, -1, `"10.0.0.0/33" is not a CIDR range`},
		{`"10.0.0.1"`, -1, "is not a CIDR range"},
		{`"fe80::/10%eth0"`, -1, "is not a CIDR range"},
		{`""`, -1, "is not a CIDR range"},
		{`["10.0.0.0/8", "2001:db8::/129"]`, 1, `value[1]: "2001:db8::/129" is not a CIDR range`},
		{`["10.0.0.0/8", 10]`, 1, "value[1]: must be a string"},
		{`[]`, -1, "at least one"},
		{`10`, -2, `op "cidr" needs a JSON string or an array of strings`},
		{`null`, -2, `op "cidr" needs a JSON string or an array of strings`},
		{``, -2, `op "cidr" needs a value`},
	}
	for _, tt := range tests {
		f := herald.Filter{Field: "data.ip", Op: herald.OpCIDR}
		if tt.value != "" {
			f.Value = json.RawMessage(tt.value)
		}
		err := ValidateFilter(f)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ValidateFilter(cidr %s) = %v, want nil", tt.value, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ValidateFilter(cidr %s) = %v, want error containing %q", tt.value, err, tt.wantErr)
			continue
		}
		var ve *ValueError
		if isValue := errors.As(err, &ve); isValue != (tt.item != -2) || isValue && ve.Item != tt.item {
			t.Errorf("ValidateFilter(cidr %s) = %#v, want a *ValueError for item %d", tt.value, err, tt.item)
		}
	}
}
