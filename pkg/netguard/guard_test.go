package netguard

import "testing"

func TestPublic(t *testing.T) {
	t.Parallel()
	for ip, want := range map[string]bool{
		"8.8.8.8":              true,
		"2606:4700::1111":      true,
		"127.0.0.1":            false,
		"127.1.2.3":            false,
		"::1":                  false,
		"::ffff:127.0.0.1":     false, // IPv4-mapped loopback
		"::ffff:10.0.0.1":      false,
		"10.1.2.3":             false,
		"172.16.0.1":           false,
		"192.168.1.1":          false,
		"100.64.0.1":           false,
		"169.254.169.254":      false, // cloud metadata
		"fe80::1":              false,
		"fd00:ec2::254":        false, // AWS IPv6 metadata (ULA)
		"224.0.0.1":            false,
		"0.0.0.0":              false,
		"::":                   false,
		"255.255.255.255":      false,
		"240.0.0.1":            false,
		"64:ff9b::a00:1":       false,
		"not-an-address":       false,
		"":                     false,
		"93.184.216.34":        true,
		"::ffff:93.184.216.34": true,
	} {
		if got := Public(ip); got != want {
			t.Errorf("Public(%q) = %v, want %v", ip, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://example.com/hook", false, true},
		{"http://example.com:8080/hook?x=1", false, true},
		{"ftp://example.com/", false, false},
		{"/relative", false, false},
		{"https://", false, false},
		{"https://user:pw@example.com/", false, false},
		{"http://localhost:8080/", false, false},
		{"http://api.localhost/", false, false},
		{"http://127.0.0.1/", false, false},
		{"http://[::1]/", false, false},
		{"http://[::ffff:127.0.0.1]/", false, false},
		{"http://169.254.169.254/latest/meta-data", false, false},
		{"http://10.0.0.1/", false, false},
		{"http://127.0.0.1:9000/", true, true},
		{"http://localhost:9000/", true, true},
	} {
		if err := CheckURL(tc.url, tc.allowPrivate); (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q, %v) = %v, want ok=%v", tc.url, tc.allowPrivate, err, tc.ok)
		}
	}
}
