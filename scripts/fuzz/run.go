package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// runner runs one fuzz target with go test.
type runner struct {
	goCmd    string
	fuzztime time.Duration
	minimize string // -fuzzminimizetime
	parallel int
}

// Outcomes of a target's run.
const (
	passed  = "ok"
	cutOff  = "ok (cut off)" // passed, but go test reported its own deadline as a failure
	crashed = "FAILED"       // a failing input, or go test could not run the target
	slow    = "SLOW"         // passed, with fewer executions than the floor
)

// A result is what one target's run made.
type result struct {
	target
	execs   int64
	elapsed time.Duration // as the last progress line says
	outcome string
	detail  string // the failing input's file, or what went wrong
}

// fuzz runs t for r.fuzztime, passing go test's output through to stderr.
func (r runner) fuzz(t target) result {
	cmd := exec.Command(r.goCmd, "test", "-run", "^$", "-fuzz", "^"+t.name+"$",
		"-fuzztime", r.fuzztime.String(), "-fuzzminimizetime", r.minimize,
		"-parallel", strconv.Itoa(r.parallel), "-timeout", (r.fuzztime + 10*time.Minute).String(), t.pkg)
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(os.Stderr, &out)
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	res := result{target: t}
	res.execs, res.elapsed = lastProgress(out.String())
	res.outcome, res.detail = outcome(out.String(), err)
	return res
}

// progressLine is go test's fuzzing progress line; the last one holds the
// run's total.
var progressLine = regexp.MustCompile(`(?m)^fuzz: elapsed: (\S+), execs: (\d+) `)

// lastProgress returns the executions and elapsed time of the last
// progress line in out (zero if there is none).
func lastProgress(out string) (int64, time.Duration) {
	all := progressLine.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		return 0, 0
	}
	last := all[len(all)-1]
	execs, _ := strconv.ParseInt(last[2], 10, 64)
	elapsed, _ := time.ParseDuration(last[1])
	return execs, elapsed
}

// outcome classifies a run from go test's output and exit error. A run
// whose only failure is "context deadline exceeded", with no failing input
// written, is a run go test cut off at the very end of -fuzztime (its
// coordinator races its own deadline on a loaded machine): it passed.
func outcome(out string, err error) (string, string) {
	if err == nil {
		return passed, ""
	}
	if _, file, ok := strings.Cut(out, "Failing input written to "); ok {
		file, _, _ = strings.Cut(file, "\n")
		return crashed, file
	}
	if _, after, ok := strings.Cut(out, "--- FAIL: "); ok {
		lines := nonEmpty(after)
		if len(lines) >= 2 && lines[1] == "context deadline exceeded" &&
			(len(lines) == 2 || strings.HasPrefix(lines[2], "FAIL")) {
			return cutOff, ""
		}
		if len(lines) >= 2 {
			return crashed, lines[1]
		}
	}
	lines := nonEmpty(out)
	if len(lines) == 0 {
		return crashed, err.Error()
	}
	return crashed, fmt.Sprintf("%v: %s", err, lines[len(lines)-1])
}

// nonEmpty returns the lines of s that are not blank, trimmed.
func nonEmpty(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// judge marks a passing run slow if it made fewer than floor executions.
func (res *result) judge(floor int64) {
	if (res.outcome == passed || res.outcome == cutOff) && res.execs < floor {
		res.outcome = slow
	}
}
