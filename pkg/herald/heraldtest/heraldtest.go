// Package heraldtest holds what Herald's package tests share: a clock the
// test moves by hand (for every Config.Now) and in-memory collections. It is
// imported by tests only.
package heraldtest

import (
	"sync"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"
)

// Clock is a clock a test moves by hand; Now is the func every Config takes.
// It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at now.
func (c *Clock) Set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// Collection opens an in-memory collection keyed by "id", closed when the
// test ends.
func Collection(t testing.TB) *docstore.Collection {
	t.Helper()
	c, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
