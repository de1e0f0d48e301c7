package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestClientLimiterIsBounded: a flood of distinct client ids keeps the
// limiter at its bound, and forgets full buckets before a drained one, so
// the flood does not lift a throttled client's limit.
func TestClientLimiterIsBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	l := newClientLimiter(time.Minute, 3, 100)
	for range 3 {
		l.take("app_victim", now)
	}
	if _, ok := l.take("app_victim", now); ok {
		t.Fatal("the victim's bucket is not drained")
	}
	for i := range 10_000 {
		l.take(fmt.Sprintf("app_%d", i), now)
		if n := l.size(); n > 100 {
			t.Fatalf("%d client ids tracked, bound 100", n)
		}
	}
	if wait, ok := l.take("app_victim", now); ok || wait != time.Minute {
		t.Fatalf("after a flood of ids the drained client may ask again (wait %s)", wait)
	}
}
