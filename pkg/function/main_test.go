package function

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/logging"
	"github.com/heraldhq/herald/pkg/metrics"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) servedAddr() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.Lines(l.b.String()) {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "metrics are served" {
			return rec.Addr
		}
	}
	return ""
}

// TestServeMetricsWhileRuns: while run runs, GET /metrics answers on
// MetricsAddr with the function's metrics; when run returns, so does the
// server.
func TestServeMetricsWhileRuns(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	env := Env{Logger: logging.New(&logs, "info", "deliver"), Function: "deliver",
		Metrics: metrics.New(metrics.Config{}), MetricsAddr: "127.0.0.1:0"}
	env.Metrics.MessageReceived("deliver")
	var body string
	err := serveMetricsWhile(context.Background(), env, func(ctx context.Context, env Env) error {
		heraldtest.Eventually(t, 5*time.Second, func() bool { return logs.servedAddr() != "" },
			"the metrics server never logged the address it serves on")
		resp, err := http.Get("http://" + logs.servedAddr() + "/metrics")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `herald_messages_total{function="deliver",outcome="received"} 1`) {
		t.Errorf("/metrics: %.300s", body)
	}
}

// TestServeMetricsWhileFailsOnBusyAddr: a metrics address that cannot be
// listened on ends run's context and is returned.
func TestServeMetricsWhileFailsOnBusyAddr(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := Env{Logger: logging.New(io.Discard, "info", "ingest"), Function: "ingest",
		Metrics: metrics.New(metrics.Config{}), MetricsAddr: ln.Addr().String()}
	err = serveMetricsWhile(context.Background(), env, func(ctx context.Context, env Env) error {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
			return context.DeadlineExceeded
		}
	})
	if err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Errorf("err = %v, want the metrics listener's failure", err)
	}
}
