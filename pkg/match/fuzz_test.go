package match

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

func FuzzPattern(f *testing.F) {
	for _, s := range [][2]string{
		{"secret.rotated", "secret.rotated"},
		{"secret.*", "secret.a.b"},
		{"secret.**", "secret"},
		{"**", ""},
		{"a.**.z", "a.b.c.z"},
		{"*.created", "secret.created"},
		{"a.**.b.**.c", "a.x.b.y.b.z.c"},
		{"organization.directory.user_created", "organization.directory.user_created"},
		{"a..b", "a..b"},
		{"A.*x", "A.bx"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, eventType string) {
		// Random strings are seldom valid patterns, so also read the bytes as
		// segments over a tiny alphabet, where wildcards meet matching literals.
		pat, typ := toSegments(pattern, 4), toSegments(eventType, 2)
		if got, want := matchSegments(pat, typ), referenceMatch(pat, typ); got != want {
			t.Fatalf("matchSegments(%q, %q) = %v, reference says %v", pat, typ, got, want)
		}

		got := Pattern(pattern, eventType)
		valid := ValidPattern(pattern) == nil
		if !valid {
			if got {
				t.Fatalf("invalid pattern %q matched %q", pattern, eventType)
			}
			return
		}
		if want := referenceMatch(strings.Split(pattern, "."), splitType(eventType)); got != want {
			t.Fatalf("Pattern(%q, %q) = %v, reference says %v", pattern, eventType, got, want)
		}
		// Every pattern segment matches itself, wildcards included.
		if !Pattern(pattern, pattern) {
			t.Fatalf("valid pattern %q does not match itself", pattern)
		}
	})
}

// toSegments maps each byte of s to one of the first n of "a", "b", "*", "**".
func toSegments(s string, n int) []string {
	alphabet := []string{"a", "b", anyOne, anyMany}
	segs := make([]string, len(s))
	for i := range len(s) {
		segs[i] = alphabet[int(s[i])%n]
	}
	return segs
}

// referenceMatch is the textbook dynamic program for segment globbing, used
// to check matchSegments: ok[i][j] says whether pat[i:] matches typ[j:].
func referenceMatch(pat, typ []string) bool {
	ok := make([][]bool, len(pat)+1)
	for i := range ok {
		ok[i] = make([]bool, len(typ)+1)
	}
	ok[len(pat)][len(typ)] = true
	for i := len(pat) - 1; i >= 0; i-- {
		for j := len(typ); j >= 0; j-- {
			switch {
			case pat[i] == anyMany:
				ok[i][j] = ok[i+1][j] || j < len(typ) && ok[i][j+1]
			case j < len(typ) && (pat[i] == anyOne || pat[i] == typ[j]):
				ok[i][j] = ok[i+1][j+1]
			}
		}
	}
	return ok[0][0]
}

func FuzzFilter(f *testing.F) {
	f.Add(testEnvelope, "data.tags.0", "eq", `"pii"`)
	f.Add(testEnvelope, "path", "prefix", `"environments/"`)
	f.Add(testEnvelope, "data.tags", "contains", `7`)
	f.Add(testEnvelope, "data.size", "in", `[5, "5", null]`)
	f.Add(testEnvelope, "data.owner", "exists", `false`)
	f.Add(`{"a": [[1, {"b": null}]]}`, "a.0.1.b", "neq", `null`)
	f.Add(`{"a": {"0": [true]}}`, "a.0.0", "exists", ``)
	f.Add(`[]`, "a", "eq", `{}`)
	f.Add(`{"data": {"ip": "10.0.0.1"}}`, "data.ip", "cidr", `"10.0.0.0/8"`)
	f.Add(`{"ip": "2001:db8::1"}`, "ip", "cidr", `["10.0.0.0/8", "2001:db8::/32"]`)
	f.Add(`{"ip": "not an ip"}`, "ip", "cidr", `"0.0.0.0/0"`)
	f.Fuzz(func(t *testing.T, envelope, field, op, value string) {
		var fields map[string]any
		_ = json.Unmarshal([]byte(envelope), &fields) // junk leaves fields nil
		Lookup(fields, field)
		flt := herald.Filter{Field: field, Op: op, Value: json.RawMessage(value)}
		if ValidateFilter(flt) != nil {
			return
		}
		m, err := Compile(&herald.Webhook{Filters: []herald.Filter{flt}})
		if err != nil {
			t.Fatalf("ValidateFilter accepted %+v but Compile failed: %v", flt, err)
		}
		got := m.Match(Event{Fields: fields})
		// neq is the complement of eq, and exists false of exists true.
		switch op {
		case herald.OpEq, herald.OpNeq:
			other := map[string]string{herald.OpEq: herald.OpNeq, herald.OpNeq: herald.OpEq}[op]
			if matchOne(t, fields, herald.Filter{Field: field, Op: other, Value: flt.Value}) == got {
				t.Fatalf("eq and neq agree on %+v", flt)
			}
		case herald.OpExists:
			present := matchOne(t, fields, herald.Filter{Field: field, Op: op})
			absent := matchOne(t, fields, herald.Filter{Field: field, Op: op, Value: json.RawMessage(`false`)})
			if present == absent {
				t.Fatalf("exists and exists false agree on field %q", field)
			}
			want := present
			if strings.TrimSpace(value) == "false" {
				want = absent
			}
			if got != want {
				t.Fatalf("exists %s = %v on field %q, want %v", value, got, field, want)
			}
		case herald.OpCIDR:
			// Only an address string can be inside a range.
			v, _ := Lookup(fields, field)
			s, isString := v.(string)
			if _, err := netip.ParseAddr(s); got && (!isString || err != nil) {
				t.Fatalf("cidr %s matched %v, which is not an IP address", value, v)
			}
		}
	})
}

// matchOne compiles a webhook with the single filter f and matches fields.
func matchOne(t *testing.T, fields map[string]any, f herald.Filter) bool {
	t.Helper()
	m, err := Compile(&herald.Webhook{Filters: []herald.Filter{f}})
	if err != nil {
		t.Fatal(err)
	}
	return m.Match(Event{Fields: fields})
}
