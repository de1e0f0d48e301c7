package herald

import "testing"

func TestEventKeyIsThePlainIDOnlyWithoutScope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ id, tenant, partner, want string }{
		{"invoice-1001", "", "", "invoice-1001"},
		{"invoice-1001", "tnt_a", "", `invoice-1001 "tnt_a" ""`},
		{"invoice-1001", "", "ptn_a", `invoice-1001 "" "ptn_a"`},
		{"invoice-1001", "tnt_a", "ptn_a", `invoice-1001 "tnt_a" "ptn_a"`},
		{"e", `a" "b`, "", `e "a\" \"b" ""`},
	} {
		if got := EventKey(tc.id, tc.tenant, tc.partner); got != tc.want {
			t.Errorf("EventKey(%q, %q, %q) = %q, want %q", tc.id, tc.tenant, tc.partner, got, tc.want)
		}
	}
}

// Ids (printable ASCII without whitespace, as the envelope takes them),
// tenants and partners chosen to run into each other when joined naively:
// each scope still gets a key of its own.
func TestEventKeysOfDifferentScopesDiffer(t *testing.T) {
	t.Parallel()
	scopes := [][3]string{
		{"e", "", ""}, {"e", "a", ""}, {"e", "", "a"}, {"e", "a", "b"}, {"e", "a b", ""},
		{"e", "a", " b"}, {"e", `a" "b`, ""}, {"e", `a"`, `"b`}, {"e", `\`, ""}, {"e", "\x00", ""},
		{`e"a"""`, "", ""}, {`e"a"`, "", ""}, {"e", "", `" "`}, {"e", `"`, ""}, {`e\`, "", ""},
	}
	seen := map[string][3]string{}
	for _, s := range scopes {
		k := EventKey(s[0], s[1], s[2])
		if other, ok := seen[k]; ok {
			t.Errorf("%q and %q share the key %q", s, other, k)
		}
		seen[k] = s
	}
}

func TestPublishedIDAndEventStoreKeyOfDocumentsStoredBeforeScoping(t *testing.T) {
	t.Parallel()
	if got := (&Event{ID: "evt_1"}).PublishedID(); got != "evt_1" {
		t.Errorf("PublishedID of an unscoped event = %q", got)
	}
	if got := (&Event{ID: `evt_1 "t" ""`, EventID: "evt_1"}).PublishedID(); got != "evt_1" {
		t.Errorf("PublishedID of a scoped event = %q", got)
	}
	if got := (&Delivery{EventID: "evt_1"}).EventStoreKey(); got != "evt_1" {
		t.Errorf("EventStoreKey without EventKey = %q", got)
	}
	if got := (&Delivery{EventID: "evt_1", EventKey: `evt_1 "t" ""`}).EventStoreKey(); got != `evt_1 "t" ""` {
		t.Errorf("EventStoreKey = %q", got)
	}
}
