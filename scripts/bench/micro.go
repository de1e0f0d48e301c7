package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// micro is one Go benchmark's result.
type micro struct {
	Name        string  `json:"name"` // package/Benchmark
	NsPerOp     float64 `json:"ns_per_op"`
	BytesPerOp  int64   `json:"bytes_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
}

// microPackages are the packages whose benchmarks the bench runs, and which.
var microPackages = map[string]string{
	"./pkg/signature": "^(BenchmarkSign|BenchmarkV1)$",
	"./pkg/match":     "^BenchmarkMatch$",
	"./pkg/envelope":  "^BenchmarkParse$",
}

// runMicro runs the micro-benchmarks with goCmd test -benchmem, package by
// package, and parses their output.
func runMicro(goCmd, benchtime string) ([]micro, error) {
	var out []micro
	for _, pkg := range []string{"./pkg/signature", "./pkg/match", "./pkg/envelope"} {
		cmd := exec.Command(goCmd, "test", "-run", "^$", "-bench", microPackages[pkg],
			"-benchmem", "-benchtime", benchtime, pkg)
		cmd.Stderr = os.Stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s test %s: %w\n%s", goCmd, pkg, err, b)
		}
		out = append(out, parseBench(strings.TrimPrefix(pkg, "./pkg/"), b)...)
	}
	return out, nil
}

// benchLine is a result line: the name (with its sub-benchmark: BenchmarkSign/sha256),
// the GOMAXPROCS suffix dropped.
var benchLine = regexp.MustCompile(`^(Benchmark[\w/.=-]*?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// parseBench reads `go test -bench -benchmem` output.
func parseBench(pkg string, b []byte) []micro {
	var out []micro
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		r := micro{Name: pkg + "." + m[1]}
		r.NsPerOp, _ = strconv.ParseFloat(m[2], 64)
		fields := strings.Fields(sc.Text())
		for i := 1; i < len(fields); i++ {
			switch fields[i] {
			case "B/op":
				r.BytesPerOp, _ = strconv.ParseInt(fields[i-1], 10, 64)
			case "allocs/op":
				r.AllocsPerOp, _ = strconv.ParseInt(fields[i-1], 10, 64)
			}
		}
		out = append(out, r)
	}
	return out
}
