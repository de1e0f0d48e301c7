package cache

import (
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// Bounded is a map of at most a fixed number of entries, for values that
// never change once written (an event, the key a sealed secret opens to):
// a hit is always right, and a miss only costs a read of the store. When
// full, adding evicts the oldest entry. It is safe for concurrent use; a nil
// *Bounded holds nothing.
type Bounded[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	items map[K]V
	order []K // ring of keys in insertion order
	next  int // where the next key goes in order
}

// NewBounded returns a Bounded holding at most max entries.
func NewBounded[K comparable, V any](max int) *Bounded[K, V] {
	return &Bounded[K, V]{max: max, items: make(map[K]V, max), order: make([]K, 0, max)}
}

// Get returns the value of k, if held.
func (b *Bounded[K, V]) Get(k K) (V, bool) {
	if b == nil {
		var zero V
		return zero, false
	}
	b.mu.Lock()
	v, ok := b.items[k]
	b.mu.Unlock()
	return v, ok
}

// Add holds v under k, evicting the oldest entry when full.
func (b *Bounded[K, V]) Add(k K, v V) {
	if b == nil || b.max <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.items[k]; ok {
		b.items[k] = v
		return
	}
	if len(b.order) < b.max {
		b.order = append(b.order, k)
	} else {
		delete(b.items, b.order[b.next])
		b.order[b.next] = k
		b.next = (b.next + 1) % b.max
	}
	b.items[k] = v
}

// MaxEventBytes is the largest event payload an Events cache holds: with its
// bound it caps the memory the cache takes.
const MaxEventBytes = 16 << 10

// Events holds events recently stored or read, so the deliveries of one
// event (a fan-out, its retries) read it from the store at most once. An
// event never changes once stored, but retention deletes it: one older than
// the retention period is not served (the store then says whether it is
// still there). A nil *Events holds nothing.
type Events struct {
	b         *Bounded[string, *herald.Event]
	retention time.Duration
	now       func() time.Time
}

// NewEvents returns an Events cache of at most n events, none served once
// older than retention (0: no limit), by the clock now (nil: time.Now).
func NewEvents(n int, retention time.Duration, now func() time.Time) *Events {
	if now == nil {
		now = time.Now
	}
	return &Events{b: NewBounded[string, *herald.Event](n), retention: retention, now: now}
}

// Get returns event id, if held and within retention. It must not be
// modified.
func (c *Events) Get(id string) (*herald.Event, bool) {
	if c == nil {
		return nil, false
	}
	ev, ok := c.b.Get(id)
	if ok && c.retention > 0 && herald.FromMillis(ev.CreatedMS).Before(c.now().Add(-c.retention)) {
		return nil, false
	}
	return ev, ok
}

// Add holds a copy of ev, unless its payload is larger than MaxEventBytes.
func (c *Events) Add(ev *herald.Event) {
	if c == nil || len(ev.Payload) > MaxEventBytes {
		return
	}
	cp := *ev
	c.b.Add(ev.ID, &cp)
}
