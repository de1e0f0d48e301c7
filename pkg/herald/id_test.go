package herald

import (
	"testing"
	"time"
)

func TestDeliveryIDsAreOrderedUniqueAndJSONSafe(t *testing.T) {
	t.Parallel()
	var g DeliveryIDs
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	seen := map[int64]bool{}
	var last int64
	for i := range 10000 {
		// 10,000 ids in the same millisecond force sequence overflow.
		id := g.Next(now)
		if id <= last {
			t.Fatalf("id %d: %d not greater than %d", i, id, last)
		}
		if id >= 1<<53 {
			t.Fatalf("id %d exceeds 2^53", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %d", id)
		}
		seen[id] = true
		last = id
	}
	later := g.Next(now.Add(time.Second))
	if got := DeliveryIDTime(later); got.Sub(now) < time.Second {
		t.Fatalf("DeliveryIDTime = %v, want >= %v", got, now.Add(time.Second))
	}
	if got := DeliveryIDTime(g.Next(now.Add(time.Hour))); !got.Equal(now.Add(time.Hour)) {
		t.Fatalf("DeliveryIDTime = %v, want %v", got, now.Add(time.Hour))
	}
}
