package envelope

import (
	"errors"
	"testing"
)

// TestParseRefusesAmbiguousEnvelopes: bytes that are not UTF-8, a reserved
// key given twice in any case (or once beside the key the parser stamps),
// and control characters in ids are refused, naming the field.
func TestParseRefusesAmbiguousEnvelopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, tenant string
		field, reason      string
	}{
		{"invalid UTF-8 in a value", "{\"event_type\":\"a\",\"data\":{\"note\":\"\xff\"}}", "", "", "must be valid UTF-8"},
		{"invalid UTF-8 in a key", "{\"event_type\":\"a\",\"tenant_id\xc3\":\"t\"}", "", "", "must be valid UTF-8"},
		{"a truncated sequence", "{\"event_type\":\"a\",\"x\":\"\xe2\x82\"}", "", "", "must be valid UTF-8"},
		{"a surrogate encoded in UTF-8", "{\"event_type\":\"a\",\"x\":\"\xed\xa0\x80\"}", "", "", "must be valid UTF-8"},
		{"a repeated key", `{"event_type":"a","tenant_id":"t1","tenant_id":"t2"}`, "", "tenant_id", repeated},
		{"another case", `{"event_type":"a","tenant_id":"t1","TENANT_ID":"t2"}`, "", "tenant_id", repeated},
		{"escaped", `{"event_type":"a","tenant_id":"t1","Tenant\u005fId":"t2"}`, "", "tenant_id", repeated},
		{"Unicode folding", `{"event_type":"a","tenant_id":"t1","tenant_ıd":"t2"}`, "", "tenant_id", repeated},
		{"the long s", `{"event_type":"a","timestamp":"2026-01-01T00:00:00Z","timeſtamp":"x"}`, "", "timestamp", repeated},
		{"data in three cases", `{"event_type":"a","data":{},"data":1,"DATA":2}`, "", "data", repeated},
		{"the type twice", `{"event_type":"a","Event_Type":"b"}`, "", "event_type", repeated},
		{"beside a generated id", `{"event_type":"a","EVENT_ID":"evt_x"}`, "", "event_id", repeated},
		{"beside a stamped tenant", `{"event_type":"a","TENANT_ID":"tnt_other"}`, "tnt_bound", "tenant_id", repeated},
		{"NUL in tenant_id", `{"event_type":"a","tenant_id":"tnt_a\u0000"}`, "", "tenant_id", "must not contain control characters"},
		{"a newline in partner_id", `{"event_type":"a","partner_id":"p\n1"}`, "", "partner_id", "must not contain control characters"},
		{"a C1 control in tenant_id", `{"event_type":"a","tenant_id":"t\u0085"}`, "", "tenant_id", "must not contain control characters"},
		{"NUL in event_id", `{"event_type":"a","event_id":"evt\u0000"}`, "", "event_id", "must be printable ASCII without whitespace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := newTestParser(0).ParseScoped([]byte(tc.body), tc.tenant, "")
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				t.Fatalf("ParseScoped = %v, want one problem", err)
			}
			if p := ve.Problems[0]; p.Field != tc.field || p.Reason != tc.reason {
				t.Errorf("problem %+v, want %s: %s", p, tc.field, tc.reason)
			}
		})
	}
}

const repeated = "must appear at most once (keys are compared case-insensitively)"

// TestParseTakesKeysThatOnlyLookReserved: unknown keys may repeat, nested
// objects may use reserved names, and a reserved key spelled once in
// another case is an unknown key Herald keeps.
func TestParseTakesKeysThatOnlyLookReserved(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"event_type":"a","x":1,"x":2}`,
		`{"event_type":"a","data":{"tenant_id":"t","TENANT_ID":"u","event_type":"b"}}`,
		`{"event_type":"a","list":[{"tenant_id":"t"},{"tenant_id":"u"}],"tenant_id":"v"}`,
		`{"event_type":"a","note":"\"tenant_id\":\"x\",","tenant_id":"t"}`,
		`{"event_type":"a","Category":"x"}`,
		`{"event_type":"a","tenant_id":"tnt_ü","data":"ok ✓"}`,
	} {
		if _, err := newTestParser(0).Parse([]byte(body)); err != nil {
			t.Errorf("Parse(%s) = %v", body, err)
		}
	}
}
