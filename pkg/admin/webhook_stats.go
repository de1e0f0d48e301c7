package admin

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// statsWindow is how many of a webhook's most recent deliveries its stats
// cover.
const statsWindow = 1000

// webhookStatsView is the answer of GET …/stats.
type webhookStatsView struct {
	WebhookID string                `json:"webhook_id"`
	Window    statsWindowOf         `json:"window"`
	Counts    map[herald.Status]int `json:"counts"`
	// SuccessRate is succeeded/(succeeded+failed), null when none finished.
	SuccessRate         *float64      `json:"success_rate"`
	Attempts            int           `json:"attempts"`
	LatencyMS           *latencyStats `json:"latency_ms"`
	LastSuccessAt       *time.Time    `json:"last_success_at"`
	LastFailureAt       *time.Time    `json:"last_failure_at"`
	ConsecutiveFailures int           `json:"consecutive_failures"`
}

// statsWindowOf says which deliveries the stats cover: how many, and the
// creation times of the oldest and newest (null when none).
type statsWindowOf struct {
	Deliveries int        `json:"deliveries"`
	From       *time.Time `json:"from"`
	To         *time.Time `json:"to"`
}

type latencyStats struct {
	P50 int64 `json:"p50"`
	P95 int64 `json:"p95"`
}

// webhookStats summarises a webhook's most recent deliveries.
func (a *API) webhookStats(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.loadWebhook(w, r)
	if !ok {
		return
	}
	// The ids from the by-webhook index (which holds no attempts), then the
	// deliveries whole by key.
	ids := store.WebhookDeliveries(a.cfg.Deliveries, wh.ID, "").Limit(statsWindow).Get(r.Context(), store.IDFields...)
	ds, err := store.All[herald.Delivery](r.Context(), ids) // newest first
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	// One deleted since it was listed is left out.
	if ds, err = readWhole(r.Context(), a.cfg.Deliveries, ds); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, summarise(wh.ID, ds))
}

// summarise computes the stats of ds, newest first.
func summarise(webhookID string, ds []*herald.Delivery) webhookStatsView {
	s := webhookStatsView{WebhookID: webhookID, Window: statsWindowOf{Deliveries: len(ds)}, Counts: map[herald.Status]int{}}
	for _, st := range herald.Statuses {
		s.Counts[st] = 0
	}
	if len(ds) > 0 {
		s.Window.To = optionalTime(herald.FromMillis(ds[0].CreatedMS))
		s.Window.From = optionalTime(herald.FromMillis(ds[len(ds)-1].CreatedMS))
	}
	var attempts []herald.Attempt
	for _, d := range ds {
		s.Counts[d.Status]++
		attempts = append(attempts, d.Attempts...)
	}
	if done := s.Counts[herald.StatusSucceeded] + s.Counts[herald.StatusFailed]; done > 0 {
		rate := float64(s.Counts[herald.StatusSucceeded]) / float64(done)
		s.SuccessRate = &rate
	}
	s.Attempts = len(attempts)
	s.LatencyMS = latency(attempts)
	// Newest first, for the last times and the current run of failures.
	slices.SortStableFunc(attempts, func(x, y herald.Attempt) int { return cmp.Compare(y.AtMS, x.AtMS) })
	run := true
	for _, at := range attempts {
		switch {
		case at.Succeeded():
			run = false
			if s.LastSuccessAt == nil {
				s.LastSuccessAt = optionalTime(herald.FromMillis(at.AtMS))
			}
		default:
			if run {
				s.ConsecutiveFailures++
			}
			if s.LastFailureAt == nil {
				s.LastFailureAt = optionalTime(herald.FromMillis(at.AtMS))
			}
		}
	}
	return s
}

// latency returns the median and 95th percentile (nearest rank) of the
// attempts' durations, over the attempts that made a request; nil when none
// did.
func latency(attempts []herald.Attempt) *latencyStats {
	var ms []int64
	for _, at := range attempts {
		if !strings.HasPrefix(at.Error, "not sent") {
			ms = append(ms, at.DurationMS)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	slices.Sort(ms)
	return &latencyStats{P50: percentile(ms, 50), P95: percentile(ms, 95)}
}

// percentile returns the nearest-rank p-th percentile of sorted.
func percentile(sorted []int64, p int) int64 {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}
