package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"
)

// retryTiming is how late a 1 s retry step arrives.
type retryTiming struct {
	Step     string  `json:"step"`
	Measured int     `json:"measured"`
	Events   int     `json:"events"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// retryError publishes events to one webhook with retry_schedule ["1s"]
// whose receiver fails each event's first attempt; the error of each retry
// is its arrival − (the first attempt's arrival + 1 s).
func retryError(ctx context.Context, events int, spacing, timeout time.Duration) (retryTiming, error) {
	const step = time.Second
	var mu sync.Mutex
	first := map[int]time.Time{}
	var errs []float64
	c := newCounter(events)
	recv, err := newReceiver(func(p payload, at time.Time) int {
		mu.Lock()
		defer mu.Unlock()
		t0, seen := first[p.Seq]
		if !seen {
			first[p.Seq] = at
			return http.StatusInternalServerError
		}
		errs = append(errs, float64(at.Sub(t0.Add(step)))/float64(time.Millisecond))
		c.add()
		return http.StatusOK
	})
	if err != nil {
		return retryTiming{}, err
	}
	defer recv.close()
	h, err := startHerald(ctx, nil)
	if err != nil {
		return retryTiming{}, err
	}
	defer h.close()
	if err := h.createWebhooks(ctx, 1, recv.URL, step.String()); err != nil {
		return retryTiming{}, err
	}
	for i := range events {
		if err := h.publish(ctx, eventBody(payload{Seq: i, Sent: time.Now().UnixNano()})); err != nil {
			return retryTiming{}, err
		}
		time.Sleep(spacing)
	}
	c.wait(timeout)
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(errs)
	return retryTiming{Step: step.String(), Measured: len(errs), Events: events,
		P50ms: pct(errs, 0.5), P99ms: pct(errs, 0.99), MaxMs: pct(errs, 1)}, nil
}
