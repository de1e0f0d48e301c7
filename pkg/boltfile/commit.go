package boltfile

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A Committer groups concurrent write functions into one bbolt transaction,
// so they share one fsync (group commit). It works like bolt.DB.Batch,
// without Batch's fixed wait: Batch holds every batch open for MaxBatchDelay
// (10ms by default) before committing, while a commit here takes about half
// a millisecond, so a lone writer would wait twenty times longer than it
// writes (and with MaxBatchDelay 0 a batch holds only the calls made before
// its timer fired, not those waiting for the commit in flight). Here
// the first writer commits at once; writers that arrive while a commit is in
// flight queue up, and the next of them commits the whole queue as soon as
// the disk is free. Under load, batches grow to whatever arrives during one
// commit; with one writer, there is no delay.
//
// Under load, a leader also lingers (Linger, DefaultLinger) before taking
// its batch, when the batch before it held more than one call: the writers
// arriving meanwhile join it, and fewer, larger commits spend less CPU
// (fsync, and the pages every commit rewrites) per write. A lone writer's
// batches hold one call, so it lingers at most once, after a burst. A
// writer that gathers batches of its own commits with DoNow, which never
// lingers.
//
// As with Batch, a function may run more than once: when one function of a
// batch returns an error, the transaction is rolled back, that function is
// run again alone, and the rest of the batch runs again without it. So a
// function must only act through its transaction and must record its results
// afresh on every run.
type Committer struct {
	// Linger is how long a leader waits for more writers before taking a
	// batch, when the previous batch held more than one call; 0 never.
	// Set it before the first Do.
	Linger time.Duration

	db      *bolt.DB
	sleep   func(time.Duration) // time.Sleep; tests replace it
	mu      sync.Mutex
	pending []*commitCall
	busy    bool // a leader is committing
	last    int  // the calls in the batch committed last
}

// DefaultLinger is NewCommitter's Linger. In make bench's fan-out 10 on the
// durable default (2 cores, a shared host), four interleaved runs of each
// gave medians of 4,393 deliveries/s at 0, 4,548 at 150µs, 4,926 at 300µs
// and 4,544 at 600µs, and the latency at 1,000 events/s and over HTTP lost
// nothing to it. Go's timers round so short a sleep up to about a
// millisecond when the process has nothing else to run; under load, the
// sleep ends nearer its time. Lingering only after batches of 4 or 8, to
// spare moderate loads, measured no better: at 1,000 events/s (batches of
// 2 or 3) the linger's fewer commits lowered the p99.
const DefaultLinger = 300 * time.Microsecond

// NewCommitter returns a Committer of writes to db, with DefaultLinger.
// Every writer of db that is to share commits must use the same Committer.
func NewCommitter(db *bolt.DB) *Committer {
	return &Committer{Linger: DefaultLinger, db: db, sleep: time.Sleep}
}

type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error // the result, or errLead to become the leader
}

var errLead = errors.New("boltfile: lead the next commit")

// Do runs fn in a write transaction, committed (and fsynced) before it
// returns, possibly together with other callers' functions.
func (c *Committer) Do(fn func(*bolt.Tx) error) error { return c.do(fn, true) }

// DoNow is Do for a writer that gathers its own batches, such as a
// *pubsub.Topic, which sends the messages that arrive while its previous
// batch commits in its next one: if it leads a commit, it does not linger
// (a wait would only add to its latency). It still shares a commit in
// flight, or one another leader lingers for.
func (c *Committer) DoNow(fn func(*bolt.Tx) error) error { return c.do(fn, false) }

func (c *Committer) do(fn func(*bolt.Tx) error, mayLinger bool) error {
	call := &commitCall{fn: fn, done: make(chan error, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, call)
	lead := !c.busy
	c.busy = true
	c.mu.Unlock()
	if !lead {
		if err := <-call.done; err != errLead {
			return err
		}
	}
	c.mu.Lock()
	linger := mayLinger && c.Linger > 0 && c.last > 1
	c.mu.Unlock()
	if linger {
		c.sleep(c.Linger)
	}
	c.mu.Lock()
	batch := c.pending
	c.pending = nil
	c.last = len(batch)
	c.mu.Unlock()
	c.run(batch)
	// Hand the lead to the first caller that queued meanwhile, or stand down.
	c.mu.Lock()
	if len(c.pending) > 0 {
		c.pending[0].done <- errLead
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	return <-call.done
}

// run commits a batch, retrying without any function that fails.
func (c *Committer) run(batch []*commitCall) {
	for len(batch) > 0 {
		failed := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, call := range batch {
				if err := safeCall(call.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, call := range batch {
				call.done <- err // nil, or the commit's own failure
			}
			return
		}
		solo := batch[failed]
		batch = slices.Delete(batch, failed, failed+1)
		solo.done <- c.db.Update(func(tx *bolt.Tx) error { return safeCall(solo.fn, tx) })
	}
}

// safeCall turns a panic in fn into an error, so one bad function cannot
// leave the Committer without a leader.
func safeCall(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("boltfile: panic in write: %v", p)
		}
	}()
	return fn(tx)
}
