package match

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	var fields map[string]any
	envelope := `{
		"event_type": "file.shared", "path": "environments/production/db",
		"data": {
			"tags": ["a", "b"], "size": 5, "gone": null, "0": "zero-key",
			"shares": [{"user_id": "usr_1"}, {"user_id": "usr_2"}],
			"a.b": "dotted key"
		}
	}`
	if err := json.Unmarshal([]byte(envelope), &fields); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path      string
		want      any
		wantFound bool
	}{
		{"event_type", "file.shared", true},
		{"path", "environments/production/db", true},
		{"data.size", 5.0, true},
		{"data.gone", nil, true},
		{"data.tags", []any{"a", "b"}, true},
		{"data.tags.0", "a", true},
		{"data.tags.1", "b", true},
		{"data.tags.2", nil, false},
		{"data.tags.-1", nil, false},
		{"data.tags.+1", nil, false},
		{"data.tags.x", nil, false},
		{"data.tags.99999999999999999999999", nil, false},
		{"data.shares.1.user_id", "usr_2", true},
		{"data.0", "zero-key", true}, // a numeric segment on an object is a key
		{"data.a.b", nil, false},     // keys containing dots cannot be addressed
		{"data.size.x", nil, false},
		{"data.gone.x", nil, false},
		{"missing", nil, false},
		{"data.missing", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, found := Lookup(fields, tt.path)
		if found != tt.wantFound || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tt.path, got, found, tt.want, tt.wantFound)
		}
	}
	if _, found := Lookup(nil, "data"); found {
		t.Error("Lookup(nil, \"data\") found a value")
	}
}
