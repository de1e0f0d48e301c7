// Package heapfloor keeps the garbage collector from running more often
// than a heap of a given size needs.
//
// Go's collector runs when the heap has grown by GOGC percent of what the
// last collection left live. A process whose live heap is small — local
// mode between bursts, or under a load of many short requests — then
// collects every few megabytes allocated, and spends a fifth of its CPU
// on it, while a heap some tens of megabytes larger would cost it little.
// A floor raises GOGC, after each collection, to what makes the next one
// due when the heap reaches the floor; once the live heap is past the
// floor, GOGC is the process's own again. The memory a process may hold is
// then at most the larger of the floor and what GOGC allows, and
// GOMEMLIMIT, when set, still bounds it.
package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// maxGOGC bounds the GOGC a floor sets, for a live heap so small that the
// floor is hundreds of times it.
const maxGOGC = 1000

// A Floor is a running floor (Start).
type Floor struct {
	floor   uint64
	base    int // the process's GOGC
	stopped atomic.Bool
	mu      sync.Mutex // serializes tune and Stop
	samples []metrics.Sample
}

// Start keeps the heap goal at floor bytes at least, until Stop. It does
// nothing (and Stop restores nothing) with a floor of 0 or with the
// collector off (GOGC=off). GOGC is the process's: run one floor at a time.
func Start(floor uint64) *Floor {
	f := &Floor{floor: floor, samples: []metrics.Sample{
		{Name: "/gc/gogc:percent"}, {Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
	}}
	metrics.Read(f.samples)
	f.base = int(f.samples[0].Value.Uint64())
	if floor == 0 || f.base <= 0 {
		f.stopped.Store(true)
		return f
	}
	f.tune()
	f.arm()
	return f
}

// arm sets a sentinel whose finalizer runs after the next collection: it
// tunes, then arms again.
func (f *Floor) arm() {
	s := new([16]byte) // not tiny-allocated, so it is freed on its own
	runtime.SetFinalizer(s, func(*[16]byte) {
		if f.stopped.Load() {
			return
		}
		f.tune()
		f.arm()
	})
}

// tune sets GOGC from the live heap the last collection left.
func (f *Floor) tune() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped.Load() {
		return
	}
	metrics.Read(f.samples)
	current := int(f.samples[0].Value.Uint64())
	roots := f.samples[2].Value.Uint64() + f.samples[3].Value.Uint64()
	if gogc := f.gogc(f.samples[1].Value.Uint64(), roots); gogc != current {
		debug.SetGCPercent(gogc)
	}
}

// gogc is the GOGC that makes the next collection due at the floor for a
// live heap of live bytes and roots bytes of stacks and globals scanned, and
// never below the process's own. Go's heap goal is live + (live + roots) ×
// GOGC/100.
func (f *Floor) gogc(live, roots uint64) int {
	if live == 0 || live >= f.floor {
		return f.base
	}
	want := int((f.floor - live) * 100 / (live + roots))
	return min(max(want, f.base), max(maxGOGC, f.base))
}

// GOGC returns the GOGC in effect.
func GOGC() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// Stop ends the floor and gives the process its own GOGC back.
func (f *Floor) Stop() {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped.Swap(true) {
		return
	}
	debug.SetGCPercent(f.base)
}
