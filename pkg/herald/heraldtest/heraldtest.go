// Package heraldtest holds what Herald's package tests share: a clock the
// test moves by hand (for every Config.Now), in-memory collections, and the
// one way to wait for a condition (Eventually). It is imported by tests only.
package heraldtest

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"

	"github.com/heraldhq/herald/pkg/herald"
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

// Enqueued is one call to an Enqueuer.
type Enqueued struct {
	Job herald.Job
	Due time.Time
}

// Enqueuer records the deliver jobs it is given (a store.Enqueuer).
// It is safe for concurrent use.
type Enqueuer struct {
	mu  sync.Mutex
	got []Enqueued
}

// Enqueue records job and when it is due.
func (e *Enqueuer) Enqueue(_ context.Context, job herald.Job, due time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, Enqueued{job, due})
	return nil
}

// Got returns what was enqueued so far, in order.
func (e *Enqueuer) Got() []Enqueued {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Enqueued(nil), e.got...)
}

// Count returns how many documents c holds.
func Count(t testing.TB, c *docstore.Collection) int {
	t.Helper()
	iter := c.Query().Get(context.Background())
	defer iter.Stop()
	n := 0
	for {
		err := iter.Next(context.Background(), map[string]any{})
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}
