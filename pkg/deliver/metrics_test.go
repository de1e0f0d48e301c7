package deliver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/retry"
)

// Each recorded attempt is counted once by outcome: a failure with a retry
// to follow, the last failure (the delivery given up), then a success of
// another delivery.
func TestHandleCountsAttemptsByOutcome(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	f := newFixture(t, deliver.Config{Metrics: m, Schedule: retry.Schedule{time.Second}})
	fail := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	f.seed(t, newWebhook(fail.URL), newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP herald_attempts_total Delivery attempts by outcome (succeeded, retried, dropped, failed, not_sent).
# TYPE herald_attempts_total counter
herald_attempts_total{outcome="dropped"} 1
herald_attempts_total{outcome="retried"} 1
# HELP herald_deliveries_dropped_total Deliveries dropped, by reason (given_up, pause_queue_full).
# TYPE herald_deliveries_dropped_total counter
herald_deliveries_dropped_total{reason="given_up"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"herald_attempts_total", "herald_deliveries_dropped_total"); err != nil {
		t.Fatal(err)
	}
}
