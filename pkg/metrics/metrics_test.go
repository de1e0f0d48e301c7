package metrics_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/heraldhq/herald/pkg/metrics"
)

// TestCountersAndHistograms: each recording method moves the series it
// documents, read back from the registry.
func TestCountersAndHistograms(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.MessageReceived("ingest")
	m.MessageReceived("ingest")
	m.MessageHandled("ingest", metrics.Done, 3*time.Millisecond)
	m.MessageHandled("ingest", metrics.Malformed, time.Millisecond)
	m.MessageHandled("deliver", metrics.Failed, time.Second)
	m.ScheduledRun("retry-scheduler", metrics.Done, time.Millisecond)
	m.EventIngested()
	m.DeliveriesCreated(3)
	m.DeliveriesCreated(0)
	m.Attempt(metrics.AttemptSucceeded, 20*time.Millisecond)
	m.Attempt(metrics.AttemptRetried, 40*time.Millisecond)
	m.Attempt(metrics.AttemptNotSent, 0)
	m.Dropped(metrics.DropGivenUp)
	m.Delivered(2 * time.Second)

	want := `
# HELP herald_messages_total Queue messages by function and outcome (received, done, malformed, failed).
# TYPE herald_messages_total counter
herald_messages_total{function="deliver",outcome="failed"} 1
herald_messages_total{function="ingest",outcome="done"} 1
herald_messages_total{function="ingest",outcome="malformed"} 1
herald_messages_total{function="ingest",outcome="received"} 2
# HELP herald_attempts_total Delivery attempts by outcome (succeeded, retried, dropped, failed, not_sent).
# TYPE herald_attempts_total counter
herald_attempts_total{outcome="not_sent"} 1
herald_attempts_total{outcome="retried"} 1
herald_attempts_total{outcome="succeeded"} 1
# HELP herald_events_ingested_total Events stored and fanned out (a repeated event_id is not counted again).
# TYPE herald_events_ingested_total counter
herald_events_ingested_total 1
# HELP herald_deliveries_created_total Deliveries created by the fan-out of events.
# TYPE herald_deliveries_created_total counter
herald_deliveries_created_total 3
# HELP herald_deliveries_dropped_total Deliveries dropped, by reason (given_up, pause_queue_full).
# TYPE herald_deliveries_dropped_total counter
herald_deliveries_dropped_total{reason="given_up"} 1
# HELP herald_scheduled_runs_total Scheduled runs (retry-scheduler, expiry-notifier) by outcome (done, failed).
# TYPE herald_scheduled_runs_total counter
herald_scheduled_runs_total{function="retry-scheduler",outcome="done"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"herald_messages_total", "herald_attempts_total", "herald_events_ingested_total",
		"herald_deliveries_created_total", "herald_deliveries_dropped_total", "herald_scheduled_runs_total"); err != nil {
		t.Error(err)
	}
	// Histograms: one observation per handled message or run, per attempt
	// that made a request (not the not_sent one), per success end to end.
	for name, want := range map[string]int{"herald_handler_duration_seconds": 4,
		"herald_attempt_duration_seconds": 2, "herald_event_to_delivery_seconds": 1} {
		if got := histogramCount(t, m, name); got != want {
			t.Errorf("%s observations = %d, want %d", name, got, want)
		}
	}
}

func histogramCount(t *testing.T, m *metrics.Metrics, name string) int {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range families {
		if f.GetName() == name {
			for _, s := range f.GetMetric() {
				n += int(s.GetHistogram().GetSampleCount())
			}
		}
	}
	return n
}

// TestNilMetricsRecordNothing: every method is safe on a nil *Metrics.
func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.MessageReceived("ingest")
	m.MessageHandled("ingest", metrics.Done, time.Millisecond)
	m.ScheduledRun("expiry-notifier", metrics.Failed, time.Millisecond)
	m.EventIngested()
	m.DeliveriesCreated(1)
	m.Attempt(metrics.AttemptSucceeded, time.Millisecond)
	m.Dropped(metrics.DropPauseQueueFull)
	m.Delivered(time.Second)
	if err := m.FlushEMF(io.Discard, "deliver"); err != nil {
		t.Fatal(err)
	}
	if m.Registry() != nil {
		t.Error("a nil Metrics has a registry")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Metrics handler: status %d, want 404", rec.Code)
	}
}

// TestSeparateRegistries: two Metrics in one process do not share series
// (and registering the second does not panic on duplicate names).
func TestSeparateRegistries(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(metrics.Config{}), metrics.New(metrics.Config{})
	a.EventIngested()
	if got := counter(t, b, "herald_events_ingested_total"); got != 0 {
		t.Errorf("b sees %v events ingested on a", got)
	}
}

func counter(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

// TestServeExposesPrometheusText: Serve answers GET /metrics in the text
// format, with Herald's series and the Go runtime's, and stops with ctx.
func TestServeExposesPrometheusText(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.MessageReceived("deliver")
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	addr := <-addrc
	resp, err := http.Get("http://" + addr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", ct)
	}
	for _, want := range []string{`herald_messages_total{function="deliver",outcome="received"} 1`, "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Serve did not return after cancel")
	}
}
