// Command bench measures Herald's local mode in one run and prints a table:
// the raw ceiling of a plain Go client, end-to-end deliveries/s at fan-out 1
// and 10, publish→delivery latency at open-loop rates, retry timing error,
// memory per in-flight delivery, and the micro-benchmarks of signing,
// matching and envelope parsing. Each figure is compared with its target. It
// writes the results to <out>/results.json and a latency plot to
// <out>/latency.svg. Run it from the module root (make bench):
//
//	go run ./scripts/bench [-quick] [-out bench]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/heraldhq/herald/pkg/config"
)

// sizes are how much each phase does.
type sizes struct {
	deliveries   int           // raw and fan-out runs
	openLoop     time.Duration // per rate
	drain        time.Duration // wait for stragglers after each rate
	retries      int
	inFlight     int
	hold         time.Duration
	benchtime    string
	fanOutExpire time.Duration
}

var (
	full  = sizes{10_000, 3 * time.Second, 20 * time.Second, 50, 10_000, 2 * time.Second, "1s", 2 * time.Minute}
	quick = sizes{2_000, time.Second, 10 * time.Second, 20, 2_000, 2 * time.Second, "100ms", time.Minute}
)

func main() {
	q := flag.Bool("quick", false, "smaller runs: about a quarter of the time, noisier figures")
	out := flag.String("out", "bench", "directory for results.json and latency.svg")
	goCmd := flag.String("go", "go", "the go command, for the micro-benchmarks")
	only := flag.String("only", "", "run only the phases whose names contain this (e.g. fan-out, memory, latency)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the phases run to this file")
	memProfile := flag.String("memprofile", "", "write a heap profile, taken at the in-flight memory peak, to this file")
	hold := flag.Duration("hold", 0, "internal: serve as the holding receiver, answering this long after all have arrived")
	holdN := flag.Int("hold-n", 0, "internal: how many deliveries the holding receiver waits for")
	flag.Parse()
	if *hold > 0 {
		if err := serveHolding(*holdN, *hold); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	s := full
	if *q {
		s = quick
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	heapProfile = *memProfile
	if err := run(context.Background(), s, *out, *goCmd, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, s sizes, out, goCmd, only string) error {
	defaults, err := config.FromEnv(func(string) string { return "" }, true)
	if err != nil {
		return err
	}
	r := results{Machine: fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()),
		Concurrency: defaults.DeliverConcurrency}
	if u, err := url.Parse(defaults.IngestTopic); err == nil {
		r.Driver = u.Scheme + "://"
	}
	// Memory first: the peak RSS is reset before it, but the heap baseline is
	// cleanest before the other phases have grown the process.
	phases := []struct {
		name string
		run  func() error
	}{
		{"micro-benchmarks", func() (err error) { r.Micro, err = runMicro(goCmd, s.benchtime); return }},
		{"in-flight memory", func() (err error) { r.Memory, err = inFlight(ctx, s.inFlight, s.hold); return }},
		{"raw ceiling", func() (err error) { r.Raw, err = rawCeiling(s.deliveries, r.Concurrency); return }},
		{"fan-out 1", func() (err error) { r.FanOut1, err = fanOut(ctx, s.deliveries, 1, s.fanOutExpire); return }},
		{"fan-out 10", func() (err error) { r.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire); return }},
		{"open-loop latency", func() (err error) {
			r.Latency, err = openLoop(ctx, []int{100, 1000, 5000}, s.openLoop, s.drain)
			return
		}},
		{"in-memory fan-out 1", func() (err error) {
			inMemory = true
			defer func() { inMemory = false }()
			r.InMemory.FanOut1, err = fanOut(ctx, s.deliveries, 1, s.fanOutExpire)
			return
		}},
		{"in-memory fan-out 10", func() (err error) {
			inMemory = true
			defer func() { inMemory = false }()
			r.InMemory.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire)
			return
		}},
		{"in-memory open-loop latency", func() (err error) {
			inMemory = true
			defer func() { inMemory = false }()
			r.InMemory.Latency, err = openLoop(ctx, []int{100, 1000, 5000}, s.openLoop, s.drain)
			return
		}},
		{"retry timing", func() (err error) {
			r.Retry, err = retryError(ctx, s.retries, 20*time.Millisecond, 30*time.Second)
			return
		}},
	}
	for _, p := range phases {
		if !strings.Contains(p.name, only) {
			continue
		}
		start := time.Now()
		fmt.Fprintf(os.Stderr, "bench: %s…", p.name)
		if err := p.run(); err != nil {
			fmt.Fprintln(os.Stderr)
			return fmt.Errorf("%s: %w", p.name, err)
		}
		fmt.Fprintf(os.Stderr, " %.1fs\n", time.Since(start).Seconds())
	}
	r.buildRows()
	fmt.Printf("Herald local mode (%s driver), %s\n\n", r.Driver, r.Machine)
	writeTable(os.Stdout, r.Rows)
	if only != "" {
		fmt.Println("\n(-only: a partial run; the figures of phases not run are zero and nothing is written)")
		return nil
	}
	return write(out, &r)
}

// write saves results.json and latency.svg under dir.
func write(dir string, r *results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	svg := filepath.Join(dir, "latency.svg")
	if err := os.WriteFile(svg, []byte(latencySVG(r.Latency)), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nwrote %s and %s\n", filepath.Join(dir, "results.json"), svg)
	return nil
}
