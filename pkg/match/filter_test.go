package match

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// testEnvelope is the envelope the filter tests run against.
const testEnvelope = `{
	"event_type": "file.shared", "path": "environments/production/salesforce/oauth",
	"tenant_id": "tnt_acme", "request_id": null,
	"data": {
		"size": 5, "ratio": 0.5, "public": false, "owner": null,
		"tags": ["pii", "finance", 7, true, null],
		"shares": [{"user_id": "usr_1", "ip": "10.0.0.1"}, {"user_id": "usr_2"}],
		"folder": {"id": "fld_1", "name": "Reports"},
		"empty": ""
	}
}`

func decodeEnvelope(t *testing.T, s string) map[string]any {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal([]byte(s), &fields); err != nil {
		t.Fatal(err)
	}
	return fields
}

func TestFilterOps(t *testing.T) {
	t.Parallel()
	fields := decodeEnvelope(t, testEnvelope)
	tests := []struct {
		field, op, value string // value "" means absent
		want             bool
	}{
		// eq: JSON equality; numbers numerically.
		{"data.size", "eq", `5`, true},
		{"data.size", "eq", `5.0`, true},
		{"data.size", "eq", `5e0`, true},
		{"data.size", "eq", `6`, false},
		{"data.size", "eq", `"5"`, false},
		{"data.ratio", "eq", `0.5`, true},
		{"tenant_id", "eq", `"tnt_acme"`, true},
		{"tenant_id", "eq", `"tnt_other"`, false},
		{"data.public", "eq", `false`, true},
		{"data.public", "eq", `true`, false},
		{"data.owner", "eq", `null`, true},
		{"data.size", "eq", `null`, false},
		{"data.missing", "eq", `null`, false},
		{"data.missing", "eq", `"x"`, false},
		{"data.folder", "eq", `{"name": "Reports", "id": "fld_1"}`, true},
		{"data.folder", "eq", `{"id": "fld_1"}`, false},
		{"data.shares.1", "eq", `{"user_id": "usr_2"}`, true},
		{"data.tags", "eq", `["pii", "finance", 7.0, true, null]`, true},
		{"data.tags", "eq", `["finance", "pii", 7, true, null]`, false},
		{"data.shares.0.user_id", "eq", `"usr_1"`, true},
		{"data.shares.2.user_id", "eq", `"usr_1"`, false},
		// neq: not eq; a missing field is not equal.
		{"data.size", "neq", `6`, true},
		{"data.size", "neq", `5.0`, false},
		{"data.missing", "neq", `"x"`, true},
		{"data.missing", "neq", `null`, true},
		{"data.owner", "neq", `null`, false},
		{"tenant_id", "neq", `"tnt_acme"`, false},
		// in: equal to any element; elements of mixed types.
		{"tenant_id", "in", `["tnt_other", "tnt_acme"]`, true},
		{"tenant_id", "in", `["tnt_other"]`, false},
		{"data.size", "in", `["5", 5.0, true]`, true},
		{"data.size", "in", `["5", true, null]`, false},
		{"data.owner", "in", `[1, null]`, true},
		{"data.public", "in", `[0, "false"]`, false},
		{"data.missing", "in", `[null]`, false},
		{"tenant_id", "in", `[]`, false},
		// prefix: strings only.
		{"path", "prefix", `"environments/production/"`, true},
		{"path", "prefix", `"environments/staging/"`, false},
		{"path", "prefix", `""`, true},
		{"data.size", "prefix", `"5"`, false},
		{"data.missing", "prefix", `""`, false},
		{"data.owner", "prefix", `""`, false},
		// contains: substring of a string, or an element of an array.
		{"path", "contains", `"salesforce"`, true},
		{"path", "contains", `"hubspot"`, false},
		{"data.tags", "contains", `"pii"`, true},
		{"data.tags", "contains", `"pi"`, false},
		{"data.tags", "contains", `7.0`, true},
		{"data.tags", "contains", `8`, false},
		{"data.tags", "contains", `true`, true},
		{"data.tags", "contains", `false`, false},
		{"data.size", "contains", `5`, false},
		{"path", "contains", `5`, false},
		{"data.folder", "contains", `"Reports"`, false},
		{"data.missing", "contains", `"x"`, false},
		// exists: found and not null, or (false) missing or null.
		{"data.size", "exists", ``, true},
		{"data.size", "exists", `true`, true},
		{"data.size", "exists", `null`, true},
		{"data.empty", "exists", `true`, true},
		{"data.missing", "exists", ``, false},
		{"data.owner", "exists", `true`, false},
		{"request_id", "exists", ``, false},
		{"data.tags.4", "exists", `true`, false},
		{"data.tags.3", "exists", `true`, true},
		{"data.missing", "exists", `false`, true},
		{"data.owner", "exists", `false`, true},
		{"data.size", "exists", `false`, false},
		{"data.shares.0.ip", "exists", `false`, false},
		{"data.shares.1.ip", "exists", `false`, true},
	}
	for _, tt := range tests {
		f := herald.Filter{Field: tt.field, Op: tt.op}
		if tt.value != "" {
			f.Value = json.RawMessage(tt.value)
		}
		cf, err := compileFilter(f)
		if err != nil {
			t.Errorf("compileFilter(%s %s %s): %v", tt.field, tt.op, tt.value, err)
			continue
		}
		if got := cf.holds(fields); got != tt.want {
			t.Errorf("%s %s %s = %v, want %v", tt.field, tt.op, tt.value, got, tt.want)
		}
	}
}

func TestFilterOnNilFields(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		op, value string
		want      bool
	}{
		{"eq", `null`, false}, {"neq", `1`, true}, {"in", `[null]`, false},
		{"prefix", `""`, false}, {"contains", `""`, false},
		{"exists", `true`, false}, {"exists", `false`, true},
	} {
		cf, err := compileFilter(herald.Filter{Field: "data.x", Op: tt.op, Value: json.RawMessage(tt.value)})
		if err != nil {
			t.Fatal(err)
		}
		if got := cf.holds(nil); got != tt.want {
			t.Errorf("%s %s on nil fields = %v, want %v", tt.op, tt.value, got, tt.want)
		}
	}
}

func TestValidateFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, op, value string // value "" means absent
		wantErr          string // substring of the error; "" means valid
	}{
		{"data.path", "eq", `"x"`, ""},
		{"data.path", "eq", `null`, ""},
		{"data.path", "eq", `{"a": [1]}`, ""},
		{"data.path", "eq", ``, `op "eq" needs a value`},
		{"data.path", "eq", `  `, `op "eq" needs a value`},
		{"data.path", "neq", `0`, ""},
		{"data.path", "neq", ``, `op "neq" needs a value`},
		{"data.path", "eq", `{"a":`, "not valid JSON"},
		{"data.path", "eq", `1 2`, "not valid JSON"},
		{"data.path", "eq", `'x'`, "not valid JSON"},
		{"data.path", "in", `["a", 1, null]`, ""},
		{"data.path", "in", `[]`, ""},
		{"data.path", "in", `"a"`, `op "in" needs a JSON array`},
		{"data.path", "in", `null`, `op "in" needs a JSON array`},
		{"data.path", "in", ``, `op "in" needs a JSON array`},
		{"data.path", "prefix", `"environments/"`, ""},
		{"data.path", "prefix", `""`, ""},
		{"data.path", "prefix", `1`, `op "prefix" needs a JSON string`},
		{"data.path", "prefix", `["a"]`, `op "prefix" needs a JSON string`},
		{"data.path", "prefix", ``, `op "prefix" needs a JSON string`},
		{"data.tags", "contains", `"pii"`, ""},
		{"data.tags", "contains", `7`, ""},
		{"data.tags", "contains", `false`, ""},
		{"data.tags", "contains", `null`, `op "contains" needs a JSON string, number or boolean`},
		{"data.tags", "contains", `["pii"]`, `op "contains" needs a JSON string, number or boolean`},
		{"data.tags", "contains", `{}`, `op "contains" needs a JSON string, number or boolean`},
		{"data.tags", "contains", ``, `op "contains" needs a JSON string, number or boolean`},
		{"data.x", "exists", ``, ""},
		{"data.x", "exists", `true`, ""},
		{"data.x", "exists", `false`, ""},
		{"data.x", "exists", `null`, ""},
		{"data.x", "exists", `"true"`, `op "exists" takes no value or a JSON boolean`},
		{"data.x", "exists", `1`, `op "exists" takes no value or a JSON boolean`},
		{"data.x", "like", `"a"`, "op must be one of eq, neq, in, prefix, contains, exists"},
		{"data.x", "", `"a"`, "op must be one of"},
		{"data.x", "EQ", `"a"`, "op must be one of"},
		{"", "eq", `"a"`, "field must not be empty"},
		{"data..x", "eq", `"a"`, `field "data..x" has an empty segment`},
		{".data", "eq", `"a"`, "empty segment"},
		{"data.", "eq", `"a"`, "empty segment"},
		{strings.Repeat("a", 255), "eq", `"a"`, ""},
		{strings.Repeat("a", 256), "eq", `"a"`, "field must be at most 255 bytes"},
		{"data.tags.0", "eq", `"a"`, ""},
	}
	for _, tt := range tests {
		f := herald.Filter{Field: tt.field, Op: tt.op}
		if tt.value != "" {
			f.Value = json.RawMessage(tt.value)
		}
		err := ValidateFilter(f)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidateFilter(%q %s %s) = %v, want nil", tt.field, tt.op, tt.value, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("ValidateFilter(%q %s %s) = nil, want error containing %q", tt.field, tt.op, tt.value, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("ValidateFilter(%q %s %s) = %q, want error containing %q", tt.field, tt.op, tt.value, err, tt.wantErr)
		}
	}
}
