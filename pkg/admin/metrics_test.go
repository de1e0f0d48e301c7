package admin_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/metrics"
)

// TestMetricsRoute: GET /metrics serves Config.Metrics without a token, and
// is not routed at all when Config.Metrics is nil.
func TestMetricsRoute(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.EventIngested()
	get := func(f *fixture) (int, string) {
		resp, err := http.Get(f.srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get(newFixture(t, admin.Config{Metrics: m.Handler()}))
	if status != http.StatusOK || !strings.Contains(body, "herald_events_ingested_total 1") {
		t.Errorf("with metrics: %d %.200s", status, body)
	}
	if status, _ := get(newFixture(t, admin.Config{})); status != http.StatusNotFound {
		t.Errorf("without metrics: %d, want 404", status)
	}
}
