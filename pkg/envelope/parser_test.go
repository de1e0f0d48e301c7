package envelope

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// scaiVault is the ScaiVault event envelope, with a secret.rotated data.
const scaiVault = `{
  "event_id": "evt_01HK7X9Z",
  "event_type": "secret.rotated",
  "timestamp": "2026-04-23T14:00:00.123456Z",
  "tenant_id": "tnt_acme_prod",
  "partner_id": "ptn_acme",
  "identity_id": "system:rotation-scheduler",
  "path": "environments/production/salesforce/oauth",
  "data": {"old_version": 3, "new_version": 4, "auto_generated": true},
  "request_id": "req_abc123"
}`

var testNow = time.Date(2026, 5, 12, 14, 23, 1, 500, time.FixedZone("CEST", 2*3600))

const (
	testID = "evt_generated"
	testTS = "2026-05-12T12:23:01.0000005Z"
)

func newTestParser(maxBytes int) *Parser {
	return New(Config{
		MaxBytes: maxBytes,
		Now:      func() time.Time { return testNow },
		NewID:    func() string { return testID },
	})
}

func TestParseScaiVaultEnvelope(t *testing.T) {
	t.Parallel()
	e, err := newTestParser(0).Parse([]byte(scaiVault))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := Envelope{
		EventID: "evt_01HK7X9Z", EventType: "secret.rotated", Timestamp: "2026-04-23T14:00:00.123456Z",
		TenantID: "tnt_acme_prod", PartnerID: "ptn_acme", IdentityID: "system:rotation-scheduler",
		Path: "environments/production/salesforce/oauth", RequestID: "req_abc123",
	}
	got := *e
	got.Data, got.Raw, got.Fields = nil, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Envelope = %+v, want %+v", got, want)
	}
	if string(e.Data) != `{"old_version": 3, "new_version": 4, "auto_generated": true}` {
		t.Errorf("Data = %s", e.Data)
	}
	if !bytes.Equal(e.Raw, []byte(scaiVault)) {
		t.Errorf("Raw changed:\n%s", e.Raw)
	}
	if e.Fields["request_id"] != "req_abc123" || e.Fields["data"].(map[string]any)["new_version"] != 4.0 {
		t.Errorf("Fields = %v", e.Fields)
	}
}

func TestParseKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  map[string]any // unknown fields expected in Fields
	}{
		{
			name: "scaidrive audit event",
			input: `{"event_id":"evt_1","timestamp":"2026-05-12T14:23:01Z","event_type":"share.member_added",` +
				`"category":"SHARING","action":"share.member_added","user_id":"usr_1","resource_id":"shr_1",` +
				`"payload":{"principal_id":"usr_2","role":"contributor"}}`,
			want: map[string]any{
				"action":  "share.member_added",
				"user_id": "usr_1",
				"payload": map[string]any{"principal_id": "usr_2", "role": "contributor"},
			},
		},
		{
			name: "scoopa file event",
			input: `{"event_id":"evt_2","timestamp":"2026-05-12T14:23:01+02:00","event_type":"file.uploaded",` +
				"\n\t\"origin\": \"scoopa\", \"file_id\": 535986, \"file_name\": \"server_push.svg\"}",
			want: map[string]any{"origin": "scoopa", "file_id": 535986.0, "file_name": "server_push.svg"},
		},
		{
			name: "scalekit event type",
			input: `{"event_id":"evt_3","timestamp":"2026-05-12T14:23:01Z",` +
				`"event_type":"organization.directory.user_created","organization_id":"org_1","tags":[1,"a",null]}`,
			want: map[string]any{"organization_id": "org_1", "tags": []any{1.0, "a", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := newTestParser(0).Parse([]byte(tt.input))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if string(e.Raw) != tt.input {
				t.Errorf("Raw = %s, want the input unchanged", e.Raw)
			}
			for k, v := range tt.want {
				got, _ := json.Marshal(e.Fields[k])
				want, _ := json.Marshal(v)
				if !bytes.Equal(got, want) {
					t.Errorf("Fields[%q] = %s, want %s", k, got, want)
				}
			}
		})
	}
}

func TestParseGeneratesMissingIDAndTimestamp(t *testing.T) {
	t.Parallel()
	idMember := `"event_id":"` + testID + `",`
	tsMember := `"timestamp":"` + testTS + `",`
	tests := []struct {
		name, input, wantRaw, wantID, wantTS string
	}{
		{
			name:    "both absent",
			input:   `{"event_type":"secret.created","data":{}}`,
			wantRaw: `{` + idMember + tsMember + `"event_type":"secret.created","data":{}}`,
			wantID:  testID, wantTS: testTS,
		},
		{
			name:    "id absent, whitespace kept",
			input:   " \n{ \"event_type\" : \"a\" ,\"timestamp\":\"2026-01-02T03:04:05Z\" }\n",
			wantRaw: " \n{" + idMember + " \"event_type\" : \"a\" ,\"timestamp\":\"2026-01-02T03:04:05Z\" }\n",
			wantID:  testID, wantTS: "2026-01-02T03:04:05Z",
		},
		{
			name:    "timestamp absent",
			input:   `{"event_id":"evt_x","event_type":"a.b"}`,
			wantRaw: `{` + tsMember + `"event_id":"evt_x","event_type":"a.b"}`,
			wantID:  "evt_x", wantTS: testTS,
		},
		{
			name:    "null optional fields count as absent",
			input:   `{"event_type":"a","tenant_id":null,"category":null,"data":null}`,
			wantRaw: `{` + idMember + tsMember + `"event_type":"a","tenant_id":null,"category":null,"data":null}`,
			wantID:  testID, wantTS: testTS,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := newTestParser(0).Parse([]byte(tt.input))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !json.Valid(e.Raw) {
				t.Fatalf("Raw is not valid JSON: %s", e.Raw)
			}
			if string(e.Raw) != tt.wantRaw {
				t.Errorf("Raw = %q, want %q", e.Raw, tt.wantRaw)
			}
			if e.EventID != tt.wantID || e.Timestamp != tt.wantTS {
				t.Errorf("EventID, Timestamp = %q, %q, want %q, %q", e.EventID, e.Timestamp, tt.wantID, tt.wantTS)
			}
			if e.Fields["event_id"] != tt.wantID || e.Fields["timestamp"] != tt.wantTS {
				t.Errorf("Fields = %v", e.Fields)
			}
		})
	}
}

func TestParseDefaultsGenerateValidValues(t *testing.T) {
	t.Parallel()
	e, err := New(Config{}).Parse([]byte(`{"event_type":"webhook.test"}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !strings.HasPrefix(e.EventID, "evt_") {
		t.Errorf("EventID = %q, want evt_ prefix", e.EventID)
	}
	if _, err := time.Parse(time.RFC3339Nano, e.Timestamp); err != nil {
		t.Errorf("Timestamp %q: %v", e.Timestamp, err)
	}
}

func TestParseScopedStampsAbsentTenantAndPartner(t *testing.T) {
	t.Parallel()
	p := New(Config{})
	e, err := p.ParseScoped([]byte(`{"event_type":"a.b","data":{"x":1}}`), "tnt_1", "ptn_1")
	if err != nil {
		t.Fatal(err)
	}
	if e.TenantID != "tnt_1" || e.PartnerID != "ptn_1" || e.Fields["tenant_id"] != "tnt_1" || e.Fields["partner_id"] != "ptn_1" {
		t.Fatalf("not stamped: %+v %s", e, e.Raw)
	}
	e, err = p.ParseScoped([]byte(`{"event_type":"a.b","tenant_id":"tnt_2"}`), "tnt_1", "")
	if err != nil {
		t.Fatal(err)
	}
	if e.TenantID != "tnt_2" || bytes.Count(e.Raw, []byte("tenant_id")) != 1 {
		t.Fatalf("a present tenant_id must be kept as sent (the caller refuses it): %s", e.Raw)
	}
}
