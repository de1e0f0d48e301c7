// Package metrics counts what Herald's functions do and exposes it: in the
// Prometheus text format at GET /metrics in long-running mode (the official
// client library, on a registry of its own), and as CloudWatch embedded
// metric format (EMF) log lines on Lambda.
//
// Every method is safe on a nil *Metrics, which records nothing, so a
// handler built without metrics needs no branches.
package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Outcomes of a queue message (label outcome of herald_messages_total).
const (
	Received  = "received"  // taken from the queue
	Done      = "done"      // handled and acknowledged
	Malformed = "malformed" // acknowledged without processing
	Failed    = "failed"    // left for redelivery (also: a failed scheduled run)
)

// Outcomes of a delivery attempt (label outcome of herald_attempts_total
// and herald_attempt_duration_seconds).
const (
	AttemptSucceeded = "succeeded" // a 2xx answer
	AttemptRetried   = "retried"   // failed; the next attempt is scheduled
	AttemptDropped   = "dropped"   // failed; the last one: the delivery is given up
	AttemptFailed    = "failed"    // failed with no retry to follow (a manual retry)
	AttemptNotSent   = "not_sent"  // no request made (webhook gone, disabled, secret unusable)
)

// Reasons a delivery is dropped (label reason of herald_deliveries_dropped_total).
const (
	DropGivenUp        = "given_up"         // the last retry failed
	DropPauseQueueFull = "pause_queue_full" // its webhook is paused and holds pause_queue_limit
)

// Config configures New.
type Config struct {
	// Namespace is the CloudWatch namespace of EMF lines. Defaults to
	// "Herald".
	Namespace string
	// EMF keeps each latency observation until the next FlushEMF, which
	// writes them as values. Set it only where FlushEMF is called (Lambda),
	// or the observations pile up. Defaults to false.
	EMF bool
	// Now returns the current time, the timestamp of EMF lines. Defaults to
	// time.Now.
	Now func() time.Time
}

// Metrics holds Herald's metrics on a registry of its own.
type Metrics struct {
	cfg Config
	reg *prometheus.Registry

	messages         *prometheus.CounterVec
	handlerDuration  *prometheus.HistogramVec
	runs             *prometheus.CounterVec
	eventsIngested   prometheus.Counter
	deliveries       prometheus.Counter
	attempts         *prometheus.CounterVec
	attemptDuration  *prometheus.HistogramVec
	dropped          *prometheus.CounterVec
	publishToSuccess prometheus.Histogram

	emf emfState
}

// New returns Metrics registered on a new registry, with the Go runtime and
// process collectors beside Herald's own.
func New(cfg Config) *Metrics {
	if cfg.Namespace == "" {
		cfg.Namespace = "Herald"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Metrics{cfg: cfg, reg: prometheus.NewRegistry()}
	m.messages = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_messages_total",
		Help: "Queue messages by function and outcome (received, done, malformed, failed)."},
		[]string{"function", "outcome"})
	m.handlerDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "herald_handler_duration_seconds",
		Help: "Time one handler call took: a queue message or a scheduled run.", Buckets: handlerBuckets},
		[]string{"function"})
	m.runs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_scheduled_runs_total",
		Help: "Scheduled runs (retry-scheduler, expiry-notifier) by outcome (done, failed)."},
		[]string{"function", "outcome"})
	m.eventsIngested = prometheus.NewCounter(prometheus.CounterOpts{Name: "herald_events_ingested_total",
		Help: "Events stored and fanned out (a repeated event_id is not counted again)."})
	m.deliveries = prometheus.NewCounter(prometheus.CounterOpts{Name: "herald_deliveries_created_total",
		Help: "Deliveries created by the fan-out of events."})
	m.attempts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_attempts_total",
		Help: "Delivery attempts by outcome (succeeded, retried, dropped, failed, not_sent)."},
		[]string{"outcome"})
	m.attemptDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "herald_attempt_duration_seconds",
		Help: "Receiver latency of delivery attempts that made a request, by outcome.", Buckets: attemptBuckets},
		[]string{"outcome"})
	m.dropped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_deliveries_dropped_total",
		Help: "Deliveries dropped, by reason (given_up, pause_queue_full)."},
		[]string{"reason"})
	m.publishToSuccess = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "herald_event_to_delivery_seconds",
		Help: "Time from an event's ingestion to its successful delivery.", Buckets: endToEndBuckets})
	m.reg.MustRegister(m.messages, m.handlerDuration, m.runs, m.eventsIngested, m.deliveries,
		m.attempts, m.attemptDuration, m.dropped, m.publishToSuccess,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry the metrics are on, for tests and for
// callers that add collectors of their own.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Histogram buckets, in seconds.
var (
	// attemptBuckets: receiver latency, 5 ms to 30 s (the longest timeout
	// a deployment is expected to set).
	attemptBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
	// handlerBuckets: one handler call, which may include an attempt.
	handlerBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
	// endToEndBuckets: ingestion to success, across retries (up to a day).
	endToEndBuckets = []float64{0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 6 * 3600, 24 * 3600}
)

// emfState is what FlushEMF needs between flushes.
type emfState struct {
	mu sync.Mutex
	// last holds each counter series' value at the previous flush.
	last map[string]float64
	// observed holds the latencies (EMF metric name → milliseconds)
	// recorded since the previous flush, when Config.EMF is set.
	observed map[emfKey][]float64
}
