package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// printTable writes one row per target and a summary line, and reports
// whether every target passed and made the floor.
func printTable(w io.Writer, results []result, r runner, floor int64) bool {
	fmt.Fprintf(w, "\nfuzz: %s per target, %d worker(s), -fuzzminimizetime %s, floor %d execs\n\n",
		r.fuzztime, r.parallel, r.minimize, floor)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "package\ttarget\texecs\texecs/s\tresult\t")
	ok := true
	for _, res := range results {
		secs := res.elapsed.Seconds()
		if secs == 0 {
			secs = r.fuzztime.Seconds()
		}
		result := res.outcome
		if res.detail != "" {
			result += ": " + res.detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%s\t\n", res.pkg, res.name, res.execs, float64(res.execs)/secs, result)
		ok = ok && (res.outcome == passed || res.outcome == cutOff)
	}
	tw.Flush()
	if !ok {
		fmt.Fprintln(w, "\nfuzz: "+strings.Join(failures(results), ", "))
	}
	return ok
}

// failures names the targets that failed or were slow.
func failures(results []result) []string {
	var names []string
	for _, res := range results {
		if res.outcome != passed && res.outcome != cutOff {
			names = append(names, res.name+" "+res.outcome)
		}
	}
	return names
}
