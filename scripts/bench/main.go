// Command bench measures Herald's local mode in one run and prints a table:
// the raw ceiling of a plain Go client, end-to-end deliveries/s at fan-out 1
// and 10 (with the process's CPU time per delivery), publish→delivery latency
// at open-loop rates, the same over the HTTP API (POST /api/v1/events, 16
// clients; open loop at 200 events/s) at fan-out 10, retry timing error,
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
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
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
	only := flag.String("only", "", "run only the phase of this name, or else the phases whose names contain this (e.g. fan-out, memory, latency)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the phase run to this file (with -only naming one phase)")
	memProfile := flag.String("memprofile", "", "write a heap profile to this file: at the in-flight memory peak for that phase, else the allocations of the phase run (-sample_index=alloc_space)")
	hold := flag.Duration("hold", 0, "internal: serve as the holding receiver, answering this long after all have arrived")
	holdN := flag.Int("hold-n", 0, "internal: how many deliveries the holding receiver waits for")
	phase := flag.String("phase", "", "internal: run this one phase in this process and write its result to -phase-out")
	phaseOut := flag.String("phase-out", "", "internal: where -phase writes its result (JSON)")
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
	if *phase != "" {
		if err := runPhase(context.Background(), s, *goCmd, *phase, *phaseOut, *cpuProfile, *memProfile); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	child := childArgs{quick: *q, goCmd: *goCmd, cpuProfile: *cpuProfile, memProfile: *memProfile}
	if err := run(s, *out, *only, child); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// phase is one measurement: what it runs, and the part of the results it
// fills.
type phase struct {
	name   string
	run    func() error
	result any // a pointer into results
}

// phases lists the measurements in the order they run, filling r.
func phases(ctx context.Context, s sizes, goCmd string, r *results) []phase {
	inMem := func(f func() error) func() error {
		return func() error {
			inMemory = true
			defer func() { inMemory = false }()
			return f()
		}
	}
	return []phase{
		{"micro-benchmarks", func() (err error) { r.Micro, err = runMicro(goCmd, s.benchtime); return }, &r.Micro},
		{"in-flight memory", func() (err error) { r.Memory, err = inFlight(ctx, s.inFlight, s.hold); return }, &r.Memory},
		{"raw ceiling", func() (err error) { r.Raw, err = rawCeiling(s.deliveries, r.Concurrency); return }, &r.Raw},
		{"fan-out 1", func() (err error) { r.FanOut1, err = fanOut(ctx, s.deliveries, 1, s.fanOutExpire, false); return }, &r.FanOut1},
		{"fan-out 10", func() (err error) { r.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire, false); return }, &r.FanOut10},
		{"open-loop latency", func() (err error) {
			r.Latency, err = openLoop(ctx, []int{100, 1000, 5000}, 1, false, s.openLoop, s.drain)
			return
		}, &r.Latency},
		{"HTTP fan-out 10", func() (err error) { r.HTTP.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire, true); return }, &r.HTTP.FanOut10},
		{"HTTP open-loop latency", func() (err error) {
			r.HTTP.Latency, err = openLoop(ctx, []int{200}, 10, true, s.openLoop, s.drain)
			return
		}, &r.HTTP.Latency},
		{"in-memory fan-out 1", inMem(func() (err error) {
			r.InMemory.FanOut1, err = fanOut(ctx, s.deliveries, 1, s.fanOutExpire, false)
			return
		}), &r.InMemory.FanOut1},
		{"in-memory fan-out 10", inMem(func() (err error) {
			r.InMemory.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire, false)
			return
		}), &r.InMemory.FanOut10},
		{"in-memory open-loop latency", inMem(func() (err error) {
			r.InMemory.Latency, err = openLoop(ctx, []int{100, 1000, 5000}, 1, false, s.openLoop, s.drain)
			return
		}), &r.InMemory.Latency},
		{"in-memory HTTP fan-out 10", inMem(func() (err error) {
			r.InMemory.HTTP.FanOut10, err = fanOut(ctx, s.deliveries, 10, s.fanOutExpire, true)
			return
		}), &r.InMemory.HTTP.FanOut10},
		{"in-memory HTTP open-loop latency", inMem(func() (err error) {
			r.InMemory.HTTP.Latency, err = openLoop(ctx, []int{200}, 10, true, s.openLoop, s.drain)
			return
		}), &r.InMemory.HTTP.Latency},
		{"retry timing", func() (err error) {
			r.Retry, err = retryError(ctx, s.retries, 20*time.Millisecond, 30*time.Second)
			return
		}, &r.Retry},
	}
}

// runPhase runs the phase named name in this process (a child of run) and
// writes its result to out.
func runPhase(ctx context.Context, s sizes, goCmd, name, out, cpuProfile, memProfile string) error {
	r := newResults()
	for _, p := range phases(ctx, s, goCmd, r) {
		if p.name != name {
			continue
		}
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err == nil {
				err = pprof.StartCPUProfile(f)
			}
			if err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		heapProfile = memProfile
		if err := p.run(); err != nil {
			return err
		}
		if err := writeAllocs(heapProfile); err != nil { // "" once the phase wrote its heap profile
			return err
		}
		b, err := json.Marshal(p.result)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	}
	return fmt.Errorf("no phase %q", name)
}

// writeAllocs writes the allocations of the phase to file (-memprofile), as
// the allocs profile (every allocation sampled since the process began: go
// tool pprof -sample_index=alloc_space); "" writes nothing.
func writeAllocs(file string) error {
	if file == "" {
		return nil
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// childArgs are the flags run passes on to each phase's process.
type childArgs struct {
	quick                  bool
	goCmd                  string
	cpuProfile, memProfile string
}

// runChild runs phase p in a fresh process (this program with -phase) and
// reads its result into p.result: no phase measures a process that earlier
// phases have grown, or one still running their systems' timers.
func runChild(p phase, c childArgs) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "herald-bench-phase-*.json")
	if err != nil {
		return err
	}
	_ = tmp.Close()
	defer os.Remove(tmp.Name())
	args := []string{"-phase", p.name, "-phase-out", tmp.Name(), "-go", c.goCmd}
	if c.quick {
		args = append(args, "-quick")
	}
	if c.cpuProfile != "" {
		args = append(args, "-cpuprofile", c.cpuProfile)
	}
	if c.memProfile != "" {
		args = append(args, "-memprofile", c.memProfile)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	b, err := os.ReadFile(tmp.Name())
	if err != nil {
		return err
	}
	return json.Unmarshal(b, p.result)
}

// newResults returns the results with what describes the run filled in.
func newResults() *results {
	defaults, _ := config.FromEnv(func(string) string { return "" }, config.Local) // the defaults parse
	r := &results{Machine: fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()),
		Concurrency: defaults.DeliverConcurrency}
	if u, err := url.Parse(defaults.IngestTopic); err == nil {
		r.Driver = u.Scheme + "://"
	}
	return r
}

// run runs every phase (or those matching only), each in a process of its
// own, then prints the table and writes the results under out.
func run(s sizes, out, only string, c childArgs) error {
	r := newResults()
	all := phases(context.Background(), s, c.goCmd, r)
	exact := slices.ContainsFunc(all, func(p phase) bool { return p.name == only })
	for _, p := range all {
		if exact && p.name != only || !strings.Contains(p.name, only) {
			continue
		}
		start := time.Now()
		fmt.Fprintf(os.Stderr, "bench: %s…", p.name)
		if err := runChild(p, c); err != nil {
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
	return write(out, r)
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
