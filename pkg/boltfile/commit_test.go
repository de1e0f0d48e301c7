package boltfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

func openTestDB(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "commit.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func put(key string) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte("v"))
	}
}

// TestCommitterGroupsWaitingWriters holds the first commit open until ten
// more writers queue, then checks those ten share one transaction.
func TestCommitterGroupsWaitingWriters(t *testing.T) {
	t.Parallel()
	c := NewCommitter(openTestDB(t))
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = c.Do(func(tx *bolt.Tx) error {
			close(started)
			<-release
			return put("first")(tx)
		})
	})
	<-started
	var mu sync.Mutex
	txs := map[int]int{}
	for i := range 10 {
		// The writers started so far queue behind the open commit.
		heraldtest.Eventually(t, 10*time.Second, func() bool { return c.queued() == i },
			"the first %d writers never all queued behind the open commit", i)
		wg.Go(func() {
			err := c.Do(func(tx *bolt.Tx) error {
				mu.Lock()
				txs[tx.ID()]++
				mu.Unlock()
				return put(fmt.Sprint(i))(tx)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	heraldtest.Eventually(t, 10*time.Second, func() bool { return c.queued() == 10 }, "ten writers never queued")
	close(release)
	wg.Wait()
	if len(txs) != 1 {
		t.Fatalf("ten queued writers used %d transactions, want 1: %v", len(txs), txs)
	}
}

func (c *Committer) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// TestCommitterRetriesWithoutTheFailure runs a batch where one function
// fails: it gets its error and its write is rolled back, the others are
// committed (after running again), as with bolt.DB.Batch.
func TestCommitterRetriesWithoutTheFailure(t *testing.T) {
	t.Parallel()
	db := openTestDB(t)
	c := NewCommitter(db)
	boom := errors.New("boom")
	runs := map[string]int{}
	mk := func(key string, fail bool) *commitCall {
		return &commitCall{done: make(chan error, 1), fn: func(tx *bolt.Tx) error {
			runs[key]++
			if err := put(key)(tx); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		}}
	}
	calls := []*commitCall{mk("a", false), mk("bad", true), mk("c", false), mk("panics", false)}
	calls[3].fn = func(*bolt.Tx) error { panic("oops") }
	c.run(slices.Clone(calls)) // run reorders its slice
	for i, want := range []error{nil, boom, nil} {
		if err := <-calls[i].done; !errors.Is(err, want) {
			t.Errorf("call %d: got %v, want %v", i, err, want)
		}
	}
	if err := <-calls[3].done; err == nil {
		t.Error("panicking call: no error")
	}
	if runs["a"] < 2 || runs["bad"] != 2 {
		t.Errorf("runs %v: want a rerun after each failure and the failure run alone", runs)
	}
	err := db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("b"))
		if b.Get([]byte("a")) == nil || b.Get([]byte("c")) == nil || b.Get([]byte("bad")) != nil {
			return errors.New("want a and c committed and bad rolled back")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCommitterLingersUnderLoad checks that a leader following a batch of
// more than one call waits Linger, and that a writer arriving meanwhile
// joins its transaction; and that a lone writer's next commit does not wait.
func TestCommitterLingersUnderLoad(t *testing.T) {
	t.Parallel()
	c := NewCommitter(openTestDB(t))
	var slept []time.Duration
	arrived := make(chan struct{})
	c.sleep = func(d time.Duration) {
		slept = append(slept, d)
		<-arrived // the linger ends once the second writer has queued
	}
	c.last = 2 // as after a batch of two

	var mu sync.Mutex
	txs := map[string]int{}
	record := func(key string) func(*bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			mu.Lock()
			txs[key] = tx.ID()
			mu.Unlock()
			return put(key)(tx)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := c.Do(record("leader")); err != nil {
			t.Error(err)
		}
	})
	heraldtest.Eventually(t, 10*time.Second, func() bool { return c.queued() == 1 }, "the leader never queued")
	wg.Go(func() {
		if err := c.Do(record("joiner")); err != nil {
			t.Error(err)
		}
	})
	heraldtest.Eventually(t, 10*time.Second, func() bool { return c.queued() == 2 }, "the second writer never queued")
	close(arrived)
	wg.Wait()
	if len(slept) != 1 || slept[0] != DefaultLinger {
		t.Fatalf("the leader slept %v, want once for %v", slept, DefaultLinger)
	}
	if txs["leader"] != txs["joiner"] {
		t.Fatalf("the writer arriving during the linger committed in transaction %d, the leader in %d; want one", txs["joiner"], txs["leader"])
	}

	// That batch held two: the next leader lingers; its batch holds one, so
	// the one after it does not.
	slept = nil
	for _, key := range []string{"a", "b"} {
		if err := c.Do(record(key)); err != nil {
			t.Fatal(err)
		}
	}
	if len(slept) != 1 {
		t.Fatalf("two lone writes after a batch of two slept %d times, want once (the first)", len(slept))
	}
}

// TestCommitterDoNowNeverLingers checks that a leader committing with DoNow
// takes its batch at once, even after a batch of more than one call.
func TestCommitterDoNowNeverLingers(t *testing.T) {
	t.Parallel()
	c := NewCommitter(openTestDB(t))
	slept := 0
	c.sleep = func(time.Duration) { slept++ }
	c.last = 2 // as after a batch of two
	if err := c.DoNow(put("now")); err != nil {
		t.Fatal(err)
	}
	if slept != 0 {
		t.Fatalf("DoNow's leader slept %d times after a batch of two, want none", slept)
	}
	c.last = 2
	if err := c.Do(put("later")); err != nil {
		t.Fatal(err)
	}
	if slept != 1 {
		t.Fatalf("Do's leader slept %d times after a batch of two, want once", slept)
	}
}
