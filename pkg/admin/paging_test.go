package admin_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// listPage is a list answer with its items' ids.
type listPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
}

func (p listPage) ids() []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestPagingIsBounded: page beyond 10000 (up to the largest integer, which
// overflowed the offset) and per_page outside 1..100 are 422 naming the
// parameter, on every list.
func TestPagingIsBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	storeDelivery(t, f, id)
	for _, path := range []string{hooksPath, appsPath, hooksPath + id + "/deliveries"} {
		for _, c := range []struct {
			query, param string
		}{
			{"page=9223372036854775807", "page"}, {"page=9223372036854775808", "page"},
			{"page=10001", "page"}, {"page=0", "page"}, {"page=x", "page"},
			{"per_page=101", "per_page"}, {"per_page=0", "per_page"},
		} {
			var got struct {
				Detail []struct {
					Loc  []any  `json:"loc"`
					Msg  string `json:"msg"`
					Type string `json:"type"`
				} `json:"detail"`
			}
			s, raw := f.do(t, adminToken, "GET", path+"?"+c.query, nil, &got)
			if s != http.StatusUnprocessableEntity || len(got.Detail) != 1 || got.Detail[0].Msg == "" ||
				fmt.Sprint(got.Detail[0].Loc) != fmt.Sprint([]any{"query", c.param}) {
				t.Errorf("%s?%s: %d %s, want 422 at [query %s]", path, c.query, s, raw, c.param)
			}
		}
		var last listPage
		if s, raw := f.do(t, adminToken, "GET", path+"?page=10000&per_page=100", nil, &last); s != http.StatusOK ||
			last.Page != 10000 || len(last.Items) != 0 || last.Total != 1 && path != appsPath {
			t.Errorf("%s?page=10000: %d %s", path, s, raw)
		}
	}
}
