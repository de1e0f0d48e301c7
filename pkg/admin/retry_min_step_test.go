package admin_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/retry"
)

// TestRetryScheduleStepRuleIsTheDeployments: a webhook's retry_schedule
// follows the rule HERALD_RETRY_SCHEDULE follows (retry.Parse): a step
// under retry.MinStep is refused with the same reason, 1s is accepted.
func TestRetryScheduleStepRuleIsTheDeployments(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	_, want := retry.ParseList("500ms")
	var out struct {
		Detail []struct {
			Loc []any  `json:"loc"`
			Msg string `json:"msg"`
		} `json:"detail"`
	}
	status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", map[string]any{"name": "n",
		"url": "http://127.0.0.1:9/hook", "validate": false, "retry_schedule": []string{"30s", "500ms"}}, &out)
	if status != http.StatusUnprocessableEntity || len(out.Detail) != 1 || want == nil ||
		out.Detail[0].Msg != want.Error() || !reflect.DeepEqual(out.Detail[0].Loc, []any{"body", "retry_schedule", 1.0}) {
		t.Fatalf("500ms step: %d %s, want a 422 saying %v", status, raw, want)
	}
	view := f.createWebhook(t, adminToken, map[string]any{"retry_schedule": []string{"1s", "1s"}})
	if got, _ := view["retry_schedule"].([]any); len(got) != 2 || got[0] != "1s" {
		t.Errorf("1s steps: %v", view)
	}
}
