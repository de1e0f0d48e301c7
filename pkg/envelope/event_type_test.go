package envelope

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func newTypedParser(fields []string, def string) *Parser {
	return New(Config{Now: func() time.Time { return testNow }, NewID: func() string { return testID },
		TypeFields: fields, DefaultType: def})
}

func TestTypeFields(t *testing.T) {
	t.Parallel()
	p := newTypedParser([]string{"event_type", "type", "action"}, "")
	tests := []struct {
		in, wantType, wantRaw string
		wantInserted          []string
	}{
		{`{"action":"share.member_added"}`, "share.member_added",
			`{"event_id":"evt_generated","event_type":"share.member_added","timestamp":"` + testTS + `","action":"share.member_added"}`,
			[]string{"event_id", "event_type", "timestamp"}},
		{`{"type":"user.created","action":"x.y"}`, "user.created", "", []string{"event_id", "event_type", "timestamp"}},
		{`{"type":null,"action":"x.y"}`, "x.y", "", []string{"event_id", "event_type", "timestamp"}},
		{`{"event_type":"a.b","type":"a.b","event_id":"e","timestamp":"2026-01-01T00:00:00Z"}`, "a.b",
			`{"event_type":"a.b","type":"a.b","event_id":"e","timestamp":"2026-01-01T00:00:00Z"}`, nil},
		{`{"action":"a.b","event_type":"a.b"}`, "a.b", "", []string{"event_id", "timestamp"}},
	}
	for _, tt := range tests {
		e, err := p.Parse([]byte(tt.in))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if e.EventType != tt.wantType || e.Fields["event_type"] != tt.wantType {
			t.Errorf("Parse(%s) type = %q, fields %v; want %q", tt.in, e.EventType, e.Fields["event_type"], tt.wantType)
		}
		if tt.wantRaw != "" && string(e.Raw) != tt.wantRaw {
			t.Errorf("Parse(%s) Raw = %s, want %s", tt.in, e.Raw, tt.wantRaw)
		}
		if strings.Join(e.Inserted, ",") != strings.Join(tt.wantInserted, ",") || string(e.Published()) != tt.in {
			t.Errorf("Parse(%s) inserted %v, published %s", tt.in, e.Inserted, e.Published())
		}
	}
}

func TestTypeFieldsRefuse(t *testing.T) {
	t.Parallel()
	p := newTypedParser([]string{"event_type", "type", "action"}, "")
	for _, tt := range []struct{ in, field, reason string }{
		{`{"data":{}}`, "event_type", "field required (or one of event_type, type, action)"},
		{`{"type":7}`, "type", "must be a string"},
		{`{"type":"Upper.Case"}`, "event_type", "lower-case"},
		{`{"event_type":"a.b","type":"c.d"}`, "event_type", "must equal type"},
		// A second spelling of the inserted event_type is a repeated key.
		{`{"type":"a.b","Event_Type":"c.d"}`, "event_type", "at most once"},
	} {
		_, err := p.Parse([]byte(tt.in))
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 || ve.Problems[0].Field != tt.field ||
			!strings.Contains(ve.Problems[0].Reason, tt.reason) {
			t.Errorf("Parse(%s) = %v, want %s: %s", tt.in, err, tt.field, tt.reason)
		}
	}
	if _, err := New(Config{}).Parse([]byte(`{}`)); err == nil || !strings.Contains(err.Error(), "event_type: field required") ||
		strings.Contains(err.Error(), "one of") {
		t.Errorf("default parser on {} = %v", err)
	}
}

func TestDefaultType(t *testing.T) {
	t.Parallel()
	p := newTypedParser(nil, "file.available")
	e, err := p.ParseScoped([]byte(` { } `), "tnt_a", "")
	if err != nil {
		t.Fatal(err)
	}
	if e.EventType != "file.available" || string(e.Published()) != ` { } ` || e.TenantID != "tnt_a" {
		t.Errorf("type %q, published %q, tenant %q", e.EventType, e.Published(), e.TenantID)
	}
	if _, err := p.Parse([]byte(`{"event_type":null}`)); err == nil {
		t.Error("a null event_type took the default, which would repeat the key")
	}
}

func TestParseRelayed(t *testing.T) {
	t.Parallel()
	p := newTypedParser([]string{"event_type", "action"}, "")
	for _, in := range []string{`{"action":"a.b","x":1}`, " {\n\"action\" : \"a.b\" } ", `{"action":"a.b"}`} {
		first, err := p.ParseScoped([]byte(in), "tnt_<&>", "")
		if err != nil {
			t.Fatal(err)
		}
		relayed, err := p.ParseRelayed(first.Raw, strings.Join(first.Inserted, ","))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(relayed.Raw, first.Raw) || string(relayed.Published()) != in {
			t.Errorf("relayed %q: published %q, want %q", first.Raw, relayed.Published(), in)
		}
		// Keys that are not what the head holds are ignored.
		for _, wrong := range []string{"timestamp,event_id", "event_id,timestamp", "event_id,path", "bogus"} {
			e, err := p.ParseRelayed(first.Raw, wrong)
			if err != nil || e.InsertedBytes != 0 || !bytes.Equal(e.Published(), first.Raw) {
				t.Errorf("relayed with %q: %v, published %q", wrong, err, e.Published())
			}
		}
	}
}
