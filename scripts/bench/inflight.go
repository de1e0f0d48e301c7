package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/pkg/config"
)

// memory is what holding many deliveries in flight costs Herald's process.
type memory struct {
	Target          int     `json:"target"`    // deliveries meant to be held at once
	PeakHeld        int     `json:"peak_held"` // most the receiver held at once
	BaselineRSS     int64   `json:"baseline_rss_bytes"`
	PeakRSS         int64   `json:"peak_rss_bytes"` // VmHWM
	BaselineHeap    int64   `json:"baseline_heap_bytes"`
	PeakHeap        int64   `json:"peak_heap_bytes"`
	RSSPerInFlight  float64 `json:"rss_bytes_per_in_flight"`
	HeapPerInFlight float64 `json:"heap_bytes_per_in_flight"`
}

// holdCounts is what the holding receiver reports at GET /count.
type holdCounts struct{ Held, Answered int64 }

// serveHolding is the holding receiver, run in a child process (-hold) so
// its connections and goroutines are not counted in Herald's memory. It holds
// every delivery until n have arrived (or a minute has passed), answers each
// 200 hold after that, and prints its address.
func serveHolding(n int, hold time.Duration) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var held, answered atomic.Int64
	all := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(holdCounts{Held: held.Load(), Answered: answered.Load()})
	})
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, _ *http.Request) {
		if held.Add(1) == int64(n) {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(time.Minute):
		}
		time.Sleep(hold)
		answered.Add(1)
	})
	fmt.Println(ln.Addr().String())
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

// inFlight starts the holding receiver, a system allowed n attempts at once
// (each for up to 90 s) and n/100 webhooks of max_in_flight 100, publishes 100
// events (n deliveries) and measures the process's peak RSS and heap against
// a baseline taken just before.
func inFlight(ctx context.Context, n int, hold time.Duration) (memory, error) {
	exe, err := os.Executable()
	if err != nil {
		return memory{}, err
	}
	child := exec.CommandContext(ctx, exe, "-hold", hold.String(), "-hold-n", strconv.Itoa(n))
	out, err := child.StdoutPipe()
	if err != nil {
		return memory{}, err
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		return memory{}, err
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return memory{}, fmt.Errorf("holding receiver: %w", err)
	}
	base := "http://" + strings.TrimSpace(addr)
	h, err := startHerald(ctx, func(c *config.Config) {
		c.DeliverConcurrency, c.DeliveryTimeout = n, 90*time.Second
	})
	if err != nil {
		return memory{}, err
	}
	defer h.close()
	if err := h.createWebhooks(ctx, n/100, base+"/hook"); err != nil {
		return memory{}, err
	}
	m := memory{Target: n}
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	m.BaselineRSS, m.BaselineHeap = procStatus("VmRSS"), heapBytes()
	m.PeakHeap = m.BaselineHeap
	for i := range 100 {
		if err := h.publish(ctx, eventBody(payload{Seq: i, Sent: time.Now().UnixNano()})); err != nil {
			return memory{}, err
		}
	}
	deadline := time.Now().Add(hold + 2*time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		m.PeakHeap = max(m.PeakHeap, heapBytes())
		c, err := counts(base)
		if err != nil {
			return memory{}, err
		}
		if held := int(c.Held - c.Answered); held > m.PeakHeld {
			m.PeakHeld = held
			if held == n/100*100 {
				writeHeapProfile()
			}
		}
		if c.Answered >= int64(n/100*100) {
			break
		}
	}
	m.PeakRSS = procStatus("VmHWM")
	if m.PeakHeld > 0 {
		m.RSSPerInFlight = float64(m.PeakRSS-m.BaselineRSS) / float64(m.PeakHeld)
		m.HeapPerInFlight = float64(m.PeakHeap-m.BaselineHeap) / float64(m.PeakHeld)
	}
	return m, nil
}

// heapProfile, when set, is where the heap profile at the in-flight peak
// goes (-memprofile).
var heapProfile string

func writeHeapProfile() {
	if heapProfile == "" {
		return
	}
	f, err := os.Create(heapProfile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: heap profile:", err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "bench: heap profile:", err)
	}
	heapProfile = "" // once
}

func counts(base string) (holdCounts, error) {
	var c holdCounts
	resp, err := http.Get(base + "/count")
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	return c, json.NewDecoder(resp.Body).Decode(&c)
}

// heapBytes is the Go heap in live and not yet swept objects.
func heapBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// procStatus returns a "kB" line of /proc/self/status in bytes, 0 where
// there is none (not Linux).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS resets VmHWM to the current RSS (Linux 4.0+), so the peak is
// this phase's and not an earlier one's.
func resetPeakRSS() {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "bench: cannot reset peak RSS:", err)
	}
}
