package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

func TestPathPrefixShorthandIsThePrefixFilterOnPath(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	view := f.createWebhook(t, adminToken, map[string]any{"events": []string{"secret.accessed"},
		"filters": []map[string]any{{"path_prefix": "environments/production/"},
			{"field": "data.source_ip", "op": "cidr", "value": "10.0.0.0/8"}}})
	want := `[{"field":"path","op":"prefix","value":"environments/production/"},` +
		`{"field":"data.source_ip","op":"cidr","value":"10.0.0.0/8"}]`
	if got, _ := json.Marshal(view["filters"]); string(got) != want {
		t.Fatalf("created filters = %s, want %s", got, want)
	}

	var patched map[string]any
	id := view["id"].(string)
	if status, raw := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id,
		map[string]any{"filters": []map[string]any{{"path_prefix": "infra/"}}}, &patched); status != http.StatusOK {
		t.Fatalf("patch: %d %s", status, raw)
	}
	if got, _ := json.Marshal(patched["filters"]); string(got) != `[{"field":"path","op":"prefix","value":"infra/"}]` {
		t.Fatalf("patched filters = %s", got)
	}

	// The shorthand stands alone.
	status, raw := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id,
		map[string]any{"filters": []map[string]any{{"path_prefix": "infra/", "field": "path", "op": "eq", "value": "x"}}}, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `["body","filters",0,"path_prefix"]`) {
		t.Fatalf("path_prefix with field and op: %d %s", status, raw)
	}
	status, raw = f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id,
		map[string]any{"filters": []map[string]any{{"path_prefix": 7}}}, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `"path_prefix"`) {
		t.Fatalf("a path_prefix that is no string: %d %s", status, raw)
	}
}

func TestInvalidCIDRIsRefusedWithItsPath(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	for _, tt := range []struct {
		value any
		loc   string
	}{
		{"10.0.0.0/33", `["body","filters",1,"value"]`},
		{[]string{"10.0.0.0/8", "2001:db8::/129"}, `["body","filters",1,"value",1]`},
		{"scaivault.example", `["body","filters",1,"value"]`},
		{7, `["body","filters",1]`},
	} {
		body := map[string]any{"name": "n", "url": "http://127.0.0.1:9/h", "validate": false,
			"filters": []map[string]any{{"path_prefix": "a/"}, {"field": "data.ip", "op": "cidr", "value": tt.value}}}
		status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", body, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), tt.loc) {
			t.Errorf("cidr %v on create: %d %s, want 422 at %s", tt.value, status, raw, tt.loc)
		}
	}
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	status, raw := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id,
		map[string]any{"filters": []map[string]any{{"field": "data.ip", "op": "cidr", "value": []string{"fc00::/7", "300.0.0.0/8"}}}}, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `["body","filters",0,"value",1]`) ||
		!strings.Contains(string(raw), "300.0.0.0/8") {
		t.Fatalf("cidr on patch: %d %s", status, raw)
	}
}
