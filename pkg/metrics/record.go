package metrics

import "time"

// MessageReceived counts a message function took from its queue.
func (m *Metrics) MessageReceived(function string) {
	if m == nil {
		return
	}
	m.messages.WithLabelValues(function, Received).Inc()
}

// MessageHandled counts a message function finished with outcome (Done,
// Malformed or Failed) and records how long its handler took.
func (m *Metrics) MessageHandled(function, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.messages.WithLabelValues(function, outcome).Inc()
	m.handlerDuration.WithLabelValues(function).Observe(d.Seconds())
	m.observe(function, "handler_duration", d)
}

// ScheduledRun counts one scheduled run of function (Done or Failed) and
// records how long it took.
func (m *Metrics) ScheduledRun(function, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.runs.WithLabelValues(function, outcome).Inc()
	m.handlerDuration.WithLabelValues(function).Observe(d.Seconds())
	m.observe(function, "handler_duration", d)
}

// EventIngested counts an event stored and fanned out.
func (m *Metrics) EventIngested() {
	if m == nil {
		return
	}
	m.eventsIngested.Inc()
}

// DeliveriesCreated counts n deliveries created by a fan-out.
func (m *Metrics) DeliveriesCreated(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.deliveries.Add(float64(n))
}

// Attempt counts a delivery attempt with outcome (AttemptSucceeded,
// AttemptRetried, AttemptDropped, AttemptFailed or AttemptNotSent) and, when
// a request was made (d > 0), records the receiver's latency d.
func (m *Metrics) Attempt(outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.attempts.WithLabelValues(outcome).Inc()
	if d > 0 {
		m.attemptDuration.WithLabelValues(outcome).Observe(d.Seconds())
		m.observe("", "attempt_duration_"+outcome, d)
	}
}

// Dropped counts a delivery dropped for reason (DropGivenUp or
// DropPauseQueueFull).
func (m *Metrics) Dropped(reason string) {
	if m == nil {
		return
	}
	m.dropped.WithLabelValues(reason).Inc()
}

// Delivered records the time from an event's ingestion to its successful
// delivery.
func (m *Metrics) Delivered(sinceIngest time.Duration) {
	if m == nil || sinceIngest < 0 {
		return
	}
	m.publishToSuccess.Observe(sinceIngest.Seconds())
	m.observe("", "event_to_delivery", sinceIngest)
}
