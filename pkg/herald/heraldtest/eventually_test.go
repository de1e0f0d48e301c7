package heraldtest_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// fatalRecorder records a Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
}

func TestEventuallyReturnsOnceTheConditionHolds(t *testing.T) {
	var calls atomic.Int32
	rec := &fatalRecorder{TB: t}
	heraldtest.Eventually(rec, 5*time.Second, func() bool { return calls.Add(1) == 3 }, "never three")
	if rec.msg != "" {
		t.Fatalf("failed with %q", rec.msg)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("cond called %d times, want 3 (stop at the first true)", n)
	}
}

func TestEventuallyFailsWithTheMessageAfterTimeout(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	start := time.Now()
	heraldtest.Eventually(rec, 50*time.Millisecond, func() bool { return false }, "%d of %d delivered", 1, 2)
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("gave up after %v, before the 50ms timeout", took)
	}
	if want := "1 of 2 delivered (condition not met within 50ms)"; rec.msg != want {
		t.Errorf("message %q, want %q", rec.msg, want)
	}
}

func TestPollReportsWhetherTheConditionHeld(t *testing.T) {
	if !heraldtest.Poll(time.Second, func() bool { return true }) {
		t.Error("Poll = false for a condition that holds")
	}
	if heraldtest.Poll(20*time.Millisecond, func() bool { return false }) {
		t.Error("Poll = true for a condition that never holds")
	}
}
