package heapfloor

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// These tests change the process's GOGC, so none runs in parallel.

func TestGOGCForALiveHeap(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		base        int
		floor       uint64
		live, roots uint64
		want        int
		doesWhat    string
	}{
		{100, 64 * mib, 16 * mib, 0, 300, "a quarter of the floor live: the next collection at the floor"},
		{100, 64 * mib, 12 * mib, 4 * mib, 325, "stacks and globals count towards the goal"},
		{100, 64 * mib, 48 * mib, 0, 100, "want 33, never below the process's own"},
		{150, 64 * mib, 32 * mib, 0, 150, "want 100, the process's own is higher"},
		{100, 64 * mib, 64 * mib, 0, 100, "live at the floor"},
		{100, 64 * mib, 200 * mib, 0, 100, "live past the floor"},
		{100, 64 * mib, 1 * mib, 0, maxGOGC, "a tiny live heap: capped"},
		{2000, 64 * mib, 1 * mib, 0, 2000, "the process's own above the cap"},
		{100, 64 * mib, 0, 0, 100, "nothing measured yet"},
	} {
		f := &Floor{floor: tc.floor, base: tc.base}
		got := f.gogc(tc.live, tc.roots)
		if got != tc.want {
			t.Errorf("base %d, floor %d MiB, live %d MiB, roots %d MiB (%s): GOGC %d, want %d",
				tc.base, tc.floor/mib, tc.live/mib, tc.roots/mib, tc.doesWhat, got, tc.want)
		}
		// The goal as Go computes it is at the floor or below, unless the
		// process's own GOGC puts it past.
		goal := tc.live + (tc.live+tc.roots)*uint64(got)/100
		if got > tc.base && goal > tc.floor {
			t.Errorf("%s: heap goal %d MiB, past the floor of %d MiB", tc.doesWhat, goal/mib, tc.floor/mib)
		}
	}
}

// TestFloorFollowsTheLiveHeap runs the collector for real: with a small live
// heap the floor raises GOGC; once more than the floor is live it is the
// process's own again; after Stop it stays the process's own.
func TestFloorFollowsTheLiveHeap(t *testing.T) {
	base := GOGC()
	if base <= 0 || base >= maxGOGC {
		t.Skipf("GOGC is %d: a floor cannot raise it", base)
	}
	const floor = 32 << 20
	f := Start(floor)
	t.Cleanup(f.Stop) // when a check below fails
	collectUntil(t, func() bool { return GOGC() > base }, "GOGC never rose above %d with a small live heap", base)

	held := make([]byte, 2*floor) // live past the floor
	for i := range held {
		held[i] = 1 // touched, so it is a live heap the collector counts
	}
	collectUntil(t, func() bool { return GOGC() == base }, "GOGC never fell back to %d with %d MiB live", base, len(held)>>20)
	runtime.KeepAlive(held)
	held = nil

	collectUntil(t, func() bool { return GOGC() > base }, "GOGC never rose again once the heap was freed")

	f.Stop()
	if got := GOGC(); got != base {
		t.Fatalf("after Stop GOGC is %d, want %d", got, base)
	}
	for range 3 {
		runtime.GC()
	}
	drainFinalizers(t) // a floor's finalizer still queued has run by now
	if got := GOGC(); got != base {
		t.Fatalf("after Stop and collections GOGC is %d, want %d", got, base)
	}
}

func TestNoFloor(t *testing.T) {
	base := GOGC()
	f := Start(0)
	t.Cleanup(f.Stop)
	runtime.GC()
	if got := GOGC(); got != base {
		t.Fatalf("a floor of 0 set GOGC %d, want %d", got, base)
	}
	f.Stop()
	if got := GOGC(); got != base {
		t.Fatalf("stopping a floor of 0 set GOGC %d, want %d", got, base)
	}

	debug.SetGCPercent(-1) // GOGC=off
	defer debug.SetGCPercent(base)
	f = Start(64 << 20)
	t.Cleanup(f.Stop)
	runtime.GC()
	f.Stop()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("a floor with the collector off set GOGC %d, want it left off", got)
	}
}

// collectUntil runs the collector until cond holds (the floor tunes in a
// finalizer, after a collection).
func collectUntil(t *testing.T, cond func() bool, format string, args ...any) {
	t.Helper()
	heraldtest.Eventually(t, 10*time.Second, func() bool {
		runtime.GC()
		return cond()
	}, format, args...)
}

// drainFinalizers waits until the finalizers queued so far have run. The
// finalizer goroutine takes the whole queue at once and runs it (in no set
// order) before it takes the next: a sentinel's finalizer queued after the
// others may run within their batch, but a second sentinel, queued only once
// the first has run, runs in a later batch than all of them.
func drainFinalizers(t *testing.T) {
	t.Helper()
	for range 2 {
		ran := make(chan struct{})
		s := new([16]byte)
		runtime.SetFinalizer(s, func(*[16]byte) { close(ran) })
		s = nil
		collectUntil(t, func() bool {
			select {
			case <-ran:
				return true
			default:
				return false
			}
		}, "a sentinel's finalizer never ran")
	}
}
