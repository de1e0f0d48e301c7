package local_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/local"
)

// BenchmarkEndToEnd publishes b.N events to the ingest topic of local mode
// (memq://) and waits until a loopback receiver has them all. It reports
// deliveries/s and publish→delivery latency percentiles; the publish time
// travels in the event.
func BenchmarkEndToEnd(b *testing.B) { benchEndToEnd(b, false, 1) }

// BenchmarkFanOut10 is BenchmarkEndToEnd with ten webhooks on each event:
// b.N events, 10×b.N deliveries.
func BenchmarkFanOut10(b *testing.B) { benchEndToEnd(b, false, 10) }

// BenchmarkOneAtATime publishes each event only after the previous one was
// delivered: the latency of an idle system.
func BenchmarkOneAtATime(b *testing.B) { benchEndToEnd(b, true, 1) }

func benchEndToEnd(b *testing.B, oneAtATime bool, fanOut int) {
	var mu sync.Mutex
	var lat []time.Duration
	done := make(chan struct{}, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			Data struct {
				Sent int64 `json:"sent"`
			} `json:"data"`
		}
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		lat = append(lat, time.Since(time.Unix(0, ev.Data.Sent)))
		n := len(lat)
		mu.Unlock()
		if n == b.N*fanOut || (oneAtATime && n%fanOut == 0) {
			done <- struct{}{}
		}
	}))
	defer recv.Close()

	cfg := memConfig(b, b.TempDir())
	sys, err := local.Start(context.Background(), cfg, local.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer sys.Close()
	api := contract.NewAPI(b, "http://"+sys.Addr, cfg.AdminToken)
	r := contract.NewReceiver(b, "X-Herald-")
	for range fanOut {
		api.CreateWebhook(r, map[string]any{"url": recv.URL, "max_in_flight": 100})
	}
	topic, err := pubsub.OpenTopic(context.Background(), cfg.IngestTopic)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		body := `{"event_type":"bench.event","data":{"i":` + strconv.Itoa(i) +
			`,"sent":` + strconv.FormatInt(time.Now().UnixNano(), 10) + `}}`
		if err := topic.Send(ctx, &pubsub.Message{Body: []byte(body)}); err != nil {
			b.Fatal(err)
		}
		if oneAtATime || i == b.N-1 {
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				b.Fatalf("event %d of %d not delivered", i, b.N)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N*fanOut)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
