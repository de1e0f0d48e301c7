package main

import (
	"errors"
	"testing"
	"time"
)

func TestOutcome(t *testing.T) {
	t.Parallel()
	exit := errors.New("exit status 1")
	tests := []struct {
		name, out   string
		err         error
		want, where string
	}{
		{"pass", "fuzz: elapsed: 20s, execs: 5 (0/sec)\nPASS\nok  \tx\t20.1s\n", nil, passed, ""},
		{"cut off at the deadline", "fuzz: elapsed: 21s, execs: 9 (0/sec)\n--- FAIL: FuzzX (21.00s)\n    context deadline exceeded\nFAIL\nexit status 1\nFAIL\tx\t21.0s\n",
			exit, cutOff, ""},
		{"failing input", "--- FAIL: FuzzX (3.1s)\n    --- FAIL: FuzzX (0.00s)\n        x_test.go:9: boom\n\n    Failing input written to testdata/fuzz/FuzzX/abc\n    To re-run:\n",
			exit, crashed, "testdata/fuzz/FuzzX/abc"},
		{"deadline with a failing input", "--- FAIL: FuzzX (9s)\n    context deadline exceeded\n    Failing input written to testdata/fuzz/FuzzX/d\n",
			exit, crashed, "testdata/fuzz/FuzzX/d"},
		{"seed corpus fails", "--- FAIL: FuzzX (0.00s)\n    --- FAIL: FuzzX/seed#0 (0.00s)\n        x_test.go:9: boom\nFAIL\n",
			exit, crashed, "--- FAIL: FuzzX/seed#0 (0.00s)"},
		{"build fails", "# x\n./x_test.go:3:1: syntax error\nFAIL\tx [build failed]\n", exit, crashed, "exit status 1: FAIL\tx [build failed]"},
	}
	for _, tc := range tests {
		got, where := outcome(tc.out, tc.err)
		if got != tc.want || where != tc.where {
			t.Errorf("%s: outcome = %q, %q; want %q, %q", tc.name, got, where, tc.want, tc.where)
		}
	}
}

func TestLastProgressAndJudge(t *testing.T) {
	t.Parallel()
	out := "fuzz: elapsed: 0s, gathering baseline coverage: 0/1 completed\n" +
		"fuzz: elapsed: 3s, execs: 2892 (964/sec), new interesting: 8 (total: 9)\n" +
		"fuzz: elapsed: 1m0s, execs: 9999 (0/sec), new interesting: 11 (total: 12)\nPASS\n"
	execs, elapsed := lastProgress(out)
	if execs != 9999 || elapsed != time.Minute {
		t.Fatalf("lastProgress = %d, %v; want 9999, 1m0s", execs, elapsed)
	}
	for _, tc := range []struct {
		outcome string
		execs   int64
		want    string
	}{{passed, 9999, slow}, {passed, 10_000, passed}, {cutOff, 5, slow}, {crashed, 5, crashed}} {
		res := result{execs: tc.execs, outcome: tc.outcome}
		if res.judge(10_000); res.outcome != tc.want {
			t.Errorf("judge(%s, %d execs) = %s, want %s", tc.outcome, tc.execs, res.outcome, tc.want)
		}
	}
}
