package cache_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestBoundedEvictsOldest(t *testing.T) {
	b := cache.NewBounded[string, int](3)
	for i, k := range []string{"a", "b", "c", "d"} {
		b.Add(k, i)
	}
	if _, ok := b.Get("a"); ok {
		t.Error("the oldest entry was not evicted")
	}
	for i, k := range []string{"b", "c", "d"} {
		if v, ok := b.Get(k); !ok || v != i+1 {
			t.Errorf("%s = %d, %v; want %d", k, v, ok, i+1)
		}
	}
	b.Add("c", 20) // an update takes no new slot
	b.Add("e", 4)
	if _, ok := b.Get("b"); ok {
		t.Error("b should be the one evicted by e")
	}
	if v, _ := b.Get("c"); v != 20 {
		t.Errorf("c = %d after its update, want 20", v)
	}
}

func TestEventsHoldsOnlySmallPayloads(t *testing.T) {
	c := cache.NewEvents(10, 0, nil)
	c.Add(&herald.Event{ID: "small", Payload: "{}"})
	c.Add(&herald.Event{ID: "big", Payload: strings.Repeat("x", cache.MaxEventBytes+1)})
	if _, ok := c.Get("small"); !ok {
		t.Error("small event not held")
	}
	if _, ok := c.Get("big"); ok {
		t.Errorf("an event over %d bytes was held", cache.MaxEventBytes)
	}
	var none *cache.Events
	none.Add(&herald.Event{ID: "x"})
	if _, ok := none.Get("x"); ok {
		t.Error("a nil cache held an event")
	}
}

// An event older than the retention period is not served: retention may
// have deleted it from the store.
func TestEventsServesNothingPastRetention(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := cache.NewEvents(10, time.Hour, func() time.Time { return now })
	c.Add(&herald.Event{ID: "recent", CreatedMS: herald.Millis(now.Add(-59 * time.Minute))})
	c.Add(&herald.Event{ID: "old", CreatedMS: herald.Millis(now.Add(-61 * time.Minute))})
	if _, ok := c.Get("recent"); !ok {
		t.Error("an event within retention is not served")
	}
	if _, ok := c.Get("old"); ok {
		t.Error("an event past retention is served")
	}
}

// The cache holds a copy: the caller's later changes to its event (ingest
// marks it fanned out) do not reach readers of the cache.
func TestEventsHoldsACopy(t *testing.T) {
	c := cache.NewEvents(10, 0, nil)
	ev := &herald.Event{ID: "e", Payload: "{}"}
	c.Add(ev)
	ev.FannedOut, ev.Payload = true, "changed"
	if got, _ := c.Get("e"); got.FannedOut || got.Payload != "{}" {
		t.Errorf("cached event changed with the caller's: %+v", got)
	}
}
