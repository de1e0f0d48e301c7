package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// latency is the publish→delivery latency at one open-loop rate.
type latency struct {
	Rate      int       `json:"rate"` // events/s asked for
	FanOut    int       `json:"fan_out"`
	Events    int       `json:"events"` // deliveries expected: events × fan-out
	Delivered int       `json:"delivered"`
	P50ms     float64   `json:"p50_ms"`
	P99ms     float64   `json:"p99_ms"`
	MaxMs     float64   `json:"max_ms"`
	Sorted    []float64 `json:"-"` // every latency in ms, ascending, for the plot
}

// openLoop publishes at each rate for dur, on a schedule that does not wait
// for deliveries, to fanout webhooks on one receiver, to the ingest topic or,
// overHTTP, over the HTTP API; each latency runs from the moment its event
// was due to be published (so a publisher falling behind shows as latency)
// to the arrival of one of its deliveries. After each rate it waits up to
// drain for stragglers.
func openLoop(ctx context.Context, rates []int, fanout int, overHTTP bool, dur, drain time.Duration) ([]latency, error) {
	var mu sync.Mutex
	var lat []float64
	var c *counter
	recv, err := newReceiver(func(p payload, at time.Time) int {
		mu.Lock()
		lat = append(lat, float64(at.Sub(time.Unix(0, p.Sent)))/float64(time.Millisecond))
		cur := c
		mu.Unlock()
		cur.add()
		return http.StatusOK
	})
	if err != nil {
		return nil, err
	}
	defer recv.close()
	var out []latency
	for _, rate := range rates {
		events := int(float64(rate) * dur.Seconds())
		mu.Lock()
		lat, c = nil, newCounter(events*fanout)
		mu.Unlock()
		h, err := startHerald(ctx, nil)
		if err != nil {
			return nil, err
		}
		if err := h.createWebhooks(ctx, fanout, recv.URL); err != nil {
			h.close()
			return nil, err
		}
		err = publishAt(ctx, h.sender(overHTTP), rate, events)
		if err == nil {
			c.wait(drain)
		}
		h.close()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		l := latency{Rate: rate, FanOut: fanout, Events: events * fanout, Delivered: len(lat), Sorted: slices.Sorted(slices.Values(lat))}
		mu.Unlock()
		l.P50ms, l.P99ms, l.MaxMs = pct(l.Sorted, 0.50), pct(l.Sorted, 0.99), pct(l.Sorted, 1)
		out = append(out, l)
	}
	return out, nil
}

// publishAt publishes events through send at rate events/s: event i is due
// at start + i/rate and is sent as soon as it is due, however late, without
// waiting for the sends before it to return (open loop: a send to a
// journaled topic waits for the disk).
func publishAt(ctx context.Context, send func(context.Context, []byte) error, rate, events int) error {
	interval := time.Second / time.Duration(rate)
	start := time.Now().Add(10 * time.Millisecond)
	var g errgroup.Group
	g.SetLimit(1024)
	for i := range events {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		g.Go(func() error { return send(ctx, eventBody(payload{Seq: i, Sent: due.UnixNano()})) })
	}
	return g.Wait()
}

// pct returns the p-quantile of sorted values (nearest rank), 0 when empty.
func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(p*float64(len(sorted)-1))]
}
