package admin_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/metrics"
)

// TestMetricsRoute: GET /metrics serves Config.Metrics to a token with
// webhooks:read, not without a token, and is not routed at all when
// Config.Metrics is nil.
func TestMetricsRoute(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.EventIngested()
	get := func(f *fixture, token string) (int, string) {
		req, _ := http.NewRequest("GET", f.srv.URL+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	f := newFixture(t, admin.Config{Metrics: m.Handler()})
	status, body := get(f, adminToken)
	if status != http.StatusOK || !strings.Contains(body, "herald_events_ingested_total 1") {
		t.Errorf("with metrics: %d %.200s", status, body)
	}
	if status, _ := get(f, ""); status != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", status)
	}
	if status, _ := get(newFixture(t, admin.Config{}), adminToken); status != http.StatusNotFound {
		t.Errorf("without metrics: %d, want 404", status)
	}
}
