package envelope

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		scaiVault,
		`{"event_type":"secret.created"}`,
		` { "event_type" : "a" , "event_id" : "evt_1" } `,
		`{"event_type":"share.member_added","category":"SHARING","action":"x","payload":{"a":[1,2]}}`,
		`{"event_type":"a","timestamp":"2026-05-12T14:23:01.5+02:00","tenant_id":null}`,
		`{"event_type":"a","event_id":""}`,
		`{"event_type":"a","timestamp":null}`,
		`{"event_type":"A..b","tenant_id":5,"category":"x"}`,
		`{"event\u005ftype":"a","event\u005fid":"evt_1"}`,
		`{"event_type":"a","event_type":"b"}`,
		`{"event_type":"a","tenant_id":"t","TENANT_ID":"u","data":{"tenant_id":[1,"}"]}}`,
		`{"event_type":"a","tenant_id":"t\u0000"}`, "{\"event_type\":\"a\",\"x\":\"\xff\"}",
		`{}`, "{ \n }", `[]`, `null`, `"x"`, `{`, ``, "\xef\xbb\xbf{}",
	} {
		f.Add([]byte(seed))
	}
	p := New(Config{
		MaxBytes: 4 << 10,
		Now:      func() time.Time { return time.Unix(1_800_000_000, 123) },
		NewID:    func() string { return "evt_fuzz" },
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := p.Parse(b)
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("error %T %v, want *ValidationError", err, err)
			}
			return
		}
		if !json.Valid(e.Raw) || !utf8.Valid(e.Raw) {
			t.Fatalf("Raw is not valid JSON: %q", e.Raw)
		}
		if e.EventType == "" || e.EventID == "" || e.Timestamp == "" {
			t.Fatalf("empty required value: %+v", e)
		}
		for k, v := range map[string]string{"event_type": e.EventType, "event_id": e.EventID, "timestamp": e.Timestamp} {
			if e.Fields[k] != v {
				t.Fatalf("Fields[%q] = %v, want %q (Raw %q)", k, e.Fields[k], v, e.Raw)
			}
		}
	})
}
