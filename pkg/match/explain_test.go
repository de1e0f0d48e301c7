package match

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// TestExplain: what a matching webhook's subscription matched an event by
// — the category, else the first matching pattern, with the webhook's
// filters — as Match decides it (own events are not selected by wildcards).
func TestExplain(t *testing.T) {
	t.Parallel()
	path := herald.Filter{Field: "data.path", Op: herald.OpPrefix, Value: json.RawMessage(`"env/"`)}
	tests := []struct {
		name       string
		events     []string
		categories []string
		filters    []herald.Filter
		ev         Event
		want       herald.Match
	}{
		{"every event", nil, nil, nil, Event{Type: "a.b"}, herald.Match{}},
		{"first matching pattern", []string{"policy.*", "secret.*", "**"}, nil, nil,
			Event{Type: "secret.rotated"}, herald.Match{Pattern: "secret.*"}},
		{"category before pattern", []string{"secret.*"}, []string{"SECURITY"}, nil,
			Event{Type: "secret.rotated", Category: "SECURITY"}, herald.Match{Category: "SECURITY"}},
		{"pattern when the category is not subscribed", []string{"secret.*"}, []string{"ADMIN"}, nil,
			Event{Type: "secret.rotated", Category: "SECURITY"}, herald.Match{Pattern: "secret.*"}},
		{"own events skip wildcards", []string{"**", "webhook.**"}, nil, nil,
			Event{Type: "webhook.delivery.dropped"}, herald.Match{Pattern: "webhook.**"}},
		{"filters passed", []string{"file.*"}, nil, []herald.Filter{path},
			Event{Type: "file.shared", Fields: map[string]any{"data": map[string]any{"path": "env/x"}}},
			herald.Match{Pattern: "file.*", Filters: []herald.Filter{path}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := &herald.Webhook{Events: tt.events, Categories: tt.categories, Filters: tt.filters}
			if !mustCompile(t, w).Match(tt.ev) {
				t.Fatalf("%+v does not match", tt.ev)
			}
			if got := Explain(w, tt.ev); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Explain = %+v, want %+v", got, tt.want)
			}
		})
	}
}
