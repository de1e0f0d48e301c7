package heraldtest

import (
	"fmt"
	"testing"
	"time"
)

// pollEvery is how often Eventually and Poll call their condition.
const pollEvery = 10 * time.Millisecond

// Eventually calls cond, at once and then every 10 ms, until it returns
// true. If it still does not after timeout, the test fails at once with the
// message format and args describe, followed by how long it waited. Call it
// from the test's goroutine; cond may call t.Fatal.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	if !Poll(timeout, cond) {
		t.Fatalf("%s (condition not met within %v)", fmt.Sprintf(format, args...), timeout)
	}
}

// Poll is Eventually for a test that goes on either way: it calls cond the
// same way and reports whether it returned true within timeout.
func Poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pollEvery)
	}
}
