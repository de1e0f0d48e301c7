package match

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

func TestMatchSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		events     []string
		categories []string
		ev         Event
		want       bool
	}{
		{"empty selection is all", nil, nil, Event{Type: "secret.rotated"}, true},
		{"empty selection, no category", nil, nil, Event{Type: "a.b.c", Category: ""}, true},
		{"exact pattern", []string{"secret.rotated"}, nil, Event{Type: "secret.rotated"}, true},
		{"pattern miss", []string{"secret.rotated"}, nil, Event{Type: "secret.created"}, false},
		{"any pattern", []string{"policy.*", "secret.*"}, nil, Event{Type: "secret.created"}, true},
		{"category only", nil, []string{"SECURITY"}, Event{Type: "secret.rotated", Category: "SECURITY"}, true},
		{"category miss", nil, []string{"SECURITY"}, Event{Type: "secret.rotated", Category: "ADMIN"}, false},
		{"category is case-sensitive", nil, []string{"SECURITY"}, Event{Type: "secret.rotated", Category: "security"}, false},
		{"no category on event", nil, []string{"SECURITY"}, Event{Type: "secret.rotated"}, false},
		{"empty category never selects", nil, []string{""}, Event{Type: "secret.rotated"}, false},
		{"category OR pattern: by category", []string{"policy.*"}, []string{"SECURITY"},
			Event{Type: "secret.rotated", Category: "SECURITY"}, true},
		{"category OR pattern: by pattern", []string{"policy.*"}, []string{"SECURITY"},
			Event{Type: "policy.created", Category: "ADMIN"}, true},
		{"category OR pattern: neither", []string{"policy.*"}, []string{"SECURITY"},
			Event{Type: "secret.rotated", Category: "ADMIN"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mustCompile(t, &herald.Webhook{Events: tt.events, Categories: tt.categories})
			if got := m.Match(tt.ev); got != tt.want {
				t.Errorf("Match(%+v) = %v, want %v", tt.ev, got, tt.want)
			}
		})
	}
}

func TestMatchScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		tenant, partner   string
		evTenant, evPartn string
		want              bool
	}{
		{"unscoped sees all", "", "", "tnt_a", "ptn_a", true},
		{"unscoped sees no tenant", "", "", "", "", true},
		{"tenant match", "tnt_a", "", "tnt_a", "ptn_a", true},
		{"tenant mismatch", "tnt_a", "", "tnt_b", "ptn_a", false},
		{"tenant scope, event without tenant", "tnt_a", "", "", "", false},
		{"partner match", "", "ptn_a", "tnt_x", "ptn_a", true},
		{"partner mismatch", "", "ptn_a", "tnt_x", "ptn_b", false},
		{"partner scope, event without partner", "", "ptn_a", "tnt_x", "", false},
		{"both match", "tnt_a", "ptn_a", "tnt_a", "ptn_a", true},
		{"both, partner mismatch", "tnt_a", "ptn_a", "tnt_a", "ptn_b", false},
		{"both, tenant mismatch", "tnt_a", "ptn_a", "tnt_b", "ptn_a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mustCompile(t, &herald.Webhook{TenantID: tt.tenant, PartnerID: tt.partner})
			ev := Event{Type: "secret.rotated", TenantID: tt.evTenant, PartnerID: tt.evPartn}
			if got := m.Match(ev); got != tt.want {
				t.Errorf("Match(%+v) = %v, want %v", ev, got, tt.want)
			}
		})
	}
}

func TestMatchAllFiltersMustHold(t *testing.T) {
	t.Parallel()
	w := &herald.Webhook{
		Events:   []string{"file.**"},
		TenantID: "tnt_acme",
		Filters: []herald.Filter{
			{Field: "path", Op: herald.OpPrefix, Value: json.RawMessage(`"finance/"`)},
			{Field: "data.tags", Op: herald.OpContains, Value: json.RawMessage(`"pii"`)},
			{Field: "data.shares.0.user_id", Op: herald.OpIn, Value: json.RawMessage(`["usr_1", "usr_2"]`)},
		},
	}
	m := mustCompile(t, w)
	tests := []struct {
		name, envelope string
		want           bool
	}{
		{"all hold", `{"path": "finance/q1.xlsx", "data": {"tags": ["pii"], "shares": [{"user_id": "usr_2"}]}}`, true},
		{"prefix fails", `{"path": "hr/q1.xlsx", "data": {"tags": ["pii"], "shares": [{"user_id": "usr_2"}]}}`, false},
		{"contains fails", `{"path": "finance/q1.xlsx", "data": {"tags": ["public"], "shares": [{"user_id": "usr_2"}]}}`, false},
		{"in fails", `{"path": "finance/q1.xlsx", "data": {"tags": ["pii"], "shares": [{"user_id": "usr_3"}]}}`, false},
		{"field missing", `{"path": "finance/q1.xlsx", "data": {"tags": ["pii"]}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev := Event{Type: "file.shared", TenantID: "tnt_acme", Fields: decodeEnvelope(t, tt.envelope)}
			if got := m.Match(ev); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
	// Filters hold but the selection or scope does not.
	fields := decodeEnvelope(t, tests[0].envelope)
	if m.Match(Event{Type: "secret.rotated", TenantID: "tnt_acme", Fields: fields}) {
		t.Error("matched an unselected event type")
	}
	if m.Match(Event{Type: "file.shared", TenantID: "tnt_other", Fields: fields}) {
		t.Error("matched another tenant's event")
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		w       *herald.Webhook
		wantErr string
	}{
		{"nil webhook", nil, "no webhook"},
		{"bad pattern", &herald.Webhook{Events: []string{"secret.*", "Secret.x"}}, `events[1]: pattern "Secret.x"`},
		{"empty pattern", &herald.Webhook{Events: []string{""}}, "events[0]: pattern must not be empty"},
		{"bad op", &herald.Webhook{Filters: []herald.Filter{{Field: "a", Op: "like"}}}, "filters[0]: op must be one of"},
		{"bad value", &herald.Webhook{Filters: []herald.Filter{
			{Field: "a", Op: "exists"},
			{Field: "a", Op: "in", Value: json.RawMessage(`"x"`)},
		}}, `filters[1]: op "in" needs a JSON array value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Compile(tt.w)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Compile = %v, %v; want error containing %q", m, err, tt.wantErr)
			}
		})
	}
}

func TestCompileDecodesStoredFilters(t *testing.T) {
	t.Parallel()
	// Filters as the admin API decodes them: an explicit null is a value, an
	// omitted value is absent.
	var filters []herald.Filter
	err := json.Unmarshal([]byte(`[
		{"field": "data.owner", "op": "eq", "value": null},
		{"field": "data.size", "op": "exists"}
	]`), &filters)
	if err != nil {
		t.Fatal(err)
	}
	m := mustCompile(t, &herald.Webhook{Filters: filters})
	if !m.Match(Event{Type: "x", Fields: decodeEnvelope(t, `{"data": {"owner": null, "size": 1}}`)}) {
		t.Error("no match, want match")
	}
	if m.Match(Event{Type: "x", Fields: decodeEnvelope(t, `{"data": {"owner": "usr_1", "size": 1}}`)}) {
		t.Error("match, want no match")
	}
}

func TestCompileCopiesWebhook(t *testing.T) {
	t.Parallel()
	w := &herald.Webhook{Events: []string{"secret.*"}, Categories: []string{"SECURITY"}}
	m := mustCompile(t, w)
	w.Events[0] = "policy.*"
	w.Categories[0] = "ADMIN"
	if !m.Match(Event{Type: "secret.rotated"}) || !m.Match(Event{Type: "x", Category: "SECURITY"}) {
		t.Error("Matcher changed with the webhook it was compiled from")
	}
}

func mustCompile(t *testing.T, w *herald.Webhook) *Matcher {
	t.Helper()
	m, err := Compile(w)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return m
}

func TestOwnEventsOnlyWhenAskedFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		events, categories []string
		typ, category      string
		want               bool
	}{
		{nil, nil, "webhook.endpoint.created", "ADMIN", false},
		{[]string{"**"}, nil, "webhook.endpoint.created", "ADMIN", false},
		{[]string{"*.delivery.dropped"}, nil, "webhook.delivery.dropped", "SECURITY", false},
		{[]string{"webhook.**"}, nil, "webhook.endpoint.created", "ADMIN", true},
		{[]string{"application.*"}, nil, "application.created", "ADMIN", true},
		{nil, []string{"ADMIN"}, "webhook.endpoint.deleted", "ADMIN", true},
		{nil, nil, "secret.rotated", "", true},
		{[]string{"**"}, nil, "secret.rotated", "", true},
	} {
		m, err := Compile(&herald.Webhook{Events: tc.events, Categories: tc.categories})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Match(Event{Type: tc.typ, Category: tc.category}); got != tc.want {
			t.Errorf("events %v categories %v, %s: got %v, want %v", tc.events, tc.categories, tc.typ, got, tc.want)
		}
	}
}
