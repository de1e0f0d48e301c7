package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/heraldhq/herald/pkg/signature"
	"golang.org/x/sync/errgroup"
)

// throughput is one deliveries/s figure.
type throughput struct {
	Deliveries int     `json:"deliveries"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"per_second"`
	Lost       int     `json:"lost"` // not delivered before the timeout
	BadSig     int64   `json:"bad_signatures"`
	// CPUms is the CPU time (user and system) of the whole phase process per
	// delivery, in ms: Herald's, and also the receiver's and the
	// publishers', which run in the same process.
	CPUms float64 `json:"cpu_ms_per_delivery,omitempty"`
}

// rawCeiling posts n signed 1 KiB bodies from workers goroutines with a plain
// keep-alive client to a receiver like Herald's: what the loopback, the
// receiver and HMAC allow at that concurrency.
func rawCeiling(n, workers int) (throughput, error) {
	c := newCounter(n)
	recv, err := newReceiver(func(payload, time.Time) int { c.add(); return http.StatusOK })
	if err != nil {
		return throughput{}, err
	}
	defer recv.close()
	sec, _ := signature.ParseSecret(benchSecret)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				body := eventBody(payload{Seq: i, Sent: time.Now().UnixNano()})
				req, _ := http.NewRequest(http.MethodPost, recv.URL, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				signature.Signer{}.Sign(req.Header, signature.Message{ID: fmt.Sprintf("evt_%d", i),
					EventType: "bench.event", DeliveryID: int64(i), Timestamp: time.Now(), Body: body}, sec)
				if resp, err := client.Do(req); err == nil {
					_ = resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	ok := c.wait(10 * time.Second)
	client.CloseIdleConnections()
	elapsed := time.Since(start)
	t := throughput{Deliveries: n, Seconds: elapsed.Seconds(), PerSecond: float64(c.n.Load()) / elapsed.Seconds(),
		BadSig: recv.BadSig.Load()}
	if !ok {
		t.Lost = n - int(c.n.Load())
	}
	return t, nil
}

// publishers is how many goroutines publish at once to the topic, as
// upstream systems would: a send to a journaled (durable) topic returns only
// once it is on disk, and concurrent sends share a write. httpPublishers is
// how many clients publish at once over HTTP.
const (
	publishers     = 32
	httpPublishers = 16
)

// publishAll publishes events from workers goroutines through send, as fast
// as it takes them.
func publishAll(ctx context.Context, send func(context.Context, []byte) error, workers, events int) error {
	var next atomic.Int64
	var g errgroup.Group
	for range workers {
		g.Go(func() error {
			for i := int(next.Add(1)) - 1; i < events; i = int(next.Add(1)) - 1 {
				if err := send(ctx, eventBody(payload{Seq: i, Sent: time.Now().UnixNano()})); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// fanOut publishes enough events to make n deliveries to fanout webhooks on
// one receiver, as fast as the topic (or, overHTTP, the HTTP API) takes
// them, and times the first publish to the last delivery.
func fanOut(ctx context.Context, n, fanout int, timeout time.Duration, overHTTP bool) (throughput, error) {
	events := n / fanout
	c := newCounter(events * fanout)
	recv, err := newReceiver(func(payload, time.Time) int { c.add(); return http.StatusOK })
	if err != nil {
		return throughput{}, err
	}
	defer recv.close()
	h, err := startHerald(ctx, nil)
	if err != nil {
		return throughput{}, err
	}
	defer h.close()
	if err := h.createWebhooks(ctx, fanout, recv.URL); err != nil {
		return throughput{}, err
	}
	workers := publishers
	if overHTTP {
		workers = httpPublishers
	}
	start, cpu0 := time.Now(), cpuTime()
	if err := publishAll(ctx, h.sender(overHTTP), workers, events); err != nil {
		return throughput{}, err
	}
	ok := c.wait(timeout)
	elapsed := time.Since(start)
	t := throughput{Deliveries: events * fanout, Seconds: elapsed.Seconds(),
		PerSecond: float64(c.n.Load()) / elapsed.Seconds(), BadSig: recv.BadSig.Load(),
		CPUms: float64(cpuTime()-cpu0) / float64(time.Millisecond) / float64(max(c.n.Load(), 1))}
	if !ok {
		t.Lost = events*fanout - int(c.n.Load())
	}
	return t, nil
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
