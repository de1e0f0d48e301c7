package match_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
)

// BenchmarkMatch matches one event against 100 compiled webhooks, as ingest
// does for each event: a mix of exact and wildcard patterns, categories,
// tenant scopes and filters. One op is the whole pass over the 100.
func BenchmarkMatch(b *testing.B) {
	ms := make([]*match.Matcher, 0, 100)
	for i := range 100 {
		w := &herald.Webhook{}
		switch i % 5 {
		case 0:
			w.Events = []string{"secret.rotated"}
		case 1:
			w.Events = []string{"secret.*", "policy.*"}
		case 2:
			w.Events = []string{"**"}
			w.Filters = []herald.Filter{{Field: "path", Op: herald.OpPrefix, Value: json.RawMessage(`"environments/"`)}}
		case 3:
			w.Categories = []string{"SECURITY"}
			w.TenantID = fmt.Sprintf("tnt_%d", i%7)
		case 4:
			w.Events = []string{"file.uploaded"}
			w.Filters = []herald.Filter{{Field: "data.tags.0", Op: herald.OpEq, Value: json.RawMessage(`"prod"`)}}
		}
		m, err := match.Compile(w)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	ev := match.Event{Type: "secret.rotated", Category: "SECURITY", TenantID: "tnt_3",
		Fields: map[string]any{"path": "environments/production/db",
			"data": map[string]any{"tags": []any{"prod"}, "old_version": 3.0}}}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, m := range ms {
			if m.Match(ev) {
				n++
			}
		}
	}
	if n == 0 {
		b.Fatal("nothing matched")
	}
}
