// Command fuzz runs every fuzz target of the module's packages, one after
// the other, for the same time each, and prints a table: package, target,
// executions, executions per second and result. It fails if a target found
// a failing input or made fewer executions than the floor (10,000 a minute
// by default, scaled to -fuzztime): a target that slow explores too little
// to be worth its minute. Run it from the module root (make fuzz):
//
//	go run ./scripts/fuzz [-fuzztime 60s] [-parallel 1] [-run FuzzParse] [./pkg/...]
//
// Each target runs with one fuzzing worker by default (-parallel), so its
// count does not depend on how many cores are free, and minimization after
// a new input is capped (-fuzzminimizetime), so that one long input cannot
// spend the target's time being shrunk.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"
)

func main() {
	goCmd := flag.String("go", "go", "the go command")
	fuzztime := flag.Duration("fuzztime", 60*time.Second, "how long each target runs")
	minimize := flag.String("fuzzminimizetime", "1000x", "go test's -fuzzminimizetime: the cap on minimizing each new or failing input")
	parallel := flag.Int("parallel", 1, "fuzzing workers per target")
	floor := flag.Int64("min", 10_000, "the fewest executions a target must make per minute of -fuzztime")
	run := flag.String("run", "", "run only the targets whose names match this regular expression")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./pkg/..."}
	}
	match, err := regexp.Compile(*run)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzz: -run:", err)
		os.Exit(2)
	}
	r := runner{goCmd: *goCmd, fuzztime: *fuzztime, minimize: *minimize, parallel: *parallel}
	ok, err := fuzzAll(r, patterns, match, *floor*int64(*fuzztime)/int64(time.Minute))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzz:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// fuzzAll lists the targets, runs each, prints the table and reports
// whether every target passed and made at least floor executions.
func fuzzAll(r runner, patterns []string, match *regexp.Regexp, floor int64) (bool, error) {
	targets, err := listTargets(r.goCmd, patterns)
	if err != nil {
		return false, err
	}
	var results []result
	for _, t := range targets {
		if !match.MatchString(t.name) {
			continue
		}
		fmt.Fprintf(os.Stderr, "== %s %s\n", t.pkg, t.name)
		res := r.fuzz(t)
		res.judge(floor)
		results = append(results, res)
	}
	if len(results) == 0 {
		return false, fmt.Errorf("no fuzz target in %v matches %q", patterns, match)
	}
	return printTable(os.Stdout, results, r, floor), nil
}
