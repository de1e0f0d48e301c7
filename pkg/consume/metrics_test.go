package consume_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
)

// TestRunCountsOutcomesInMetrics: a handled, a malformed and a failed (then
// redelivered and handled) message are counted by function and outcome, and
// every handler call is timed.
func TestRunCountsOutcomesInMetrics(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 500*time.Millisecond)
	var failedOnce atomic.Bool
	rec := newRecorder(func(body string) error {
		switch {
		case body == "garbage":
			return herald.Malformed("not a job", errors.New("bad JSON"))
		case body == "flaky" && failedOnce.CompareAndSwap(false, true):
			return errors.New("store unavailable")
		}
		return nil
	})
	m := metrics.New(metrics.Config{})
	stop := q.run(t, rec.handle, consume.Config{Metrics: m, Function: "ingest"})
	q.publish(t, "ok", "garbage", "flaky")
	for range 4 { // flaky comes back after its ack deadline
		rec.next(t, 5*time.Second)
	}
	rec.none(t, 1200*time.Millisecond)
	stop()
	want := `
# HELP herald_messages_total Queue messages by function and outcome (received, done, malformed, failed).
# TYPE herald_messages_total counter
herald_messages_total{function="ingest",outcome="done"} 2
herald_messages_total{function="ingest",outcome="failed"} 1
herald_messages_total{function="ingest",outcome="malformed"} 1
herald_messages_total{function="ingest",outcome="received"} 4
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "herald_messages_total"); err != nil {
		t.Error(err)
	}
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "herald_handler_duration_seconds" {
			if n := f.GetMetric()[0].GetHistogram().GetSampleCount(); n != 4 {
				t.Errorf("handler timed %d times, want 4", n)
			}
			return
		}
	}
	t.Error("no herald_handler_duration_seconds")
}

func TestOutcome(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, metrics.Done},
		{herald.Malformed("bad", errors.New("x")), metrics.Malformed},
		{errors.New("store down"), metrics.Failed},
		{context.DeadlineExceeded, metrics.Failed},
	} {
		if got := consume.Outcome(c.err); got != c.want {
			t.Errorf("Outcome(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
