package boltfile

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// A Committer groups concurrent write functions into one bbolt transaction,
// so they share one fsync (group commit). It works like bolt.DB.Batch,
// without Batch's wait: Batch holds every batch open for MaxBatchDelay
// (10ms by default) before committing, while a commit here takes about half
// a millisecond, so a lone writer would wait twenty times longer than it
// writes (and with MaxBatchDelay 0 a batch holds only the calls made before
// its timer fired, not those waiting for the commit in flight). Here
// the first writer commits at once; writers that arrive while a commit is in
// flight queue up, and the next of them commits the whole queue as soon as
// the disk is free. Under load, batches grow to whatever arrives during one
// commit; with one writer, there is no delay.
//
// As with Batch, a function may run more than once: when one function of a
// batch returns an error, the transaction is rolled back, that function is
// run again alone, and the rest of the batch runs again without it. So a
// function must only act through its transaction and must record its results
// afresh on every run.
type Committer struct {
	db      *bolt.DB
	mu      sync.Mutex
	pending []*commitCall
	busy    bool // a leader is committing
}

// NewCommitter returns a Committer of writes to db. Every writer of db
// that is to share commits must use the same Committer.
func NewCommitter(db *bolt.DB) *Committer { return &Committer{db: db} }

type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error // the result, or errLead to become the leader
}

var errLead = errors.New("boltfile: lead the next commit")

// Do runs fn in a write transaction, committed (and fsynced) before it
// returns, possibly together with other callers' functions.
func (c *Committer) Do(fn func(*bolt.Tx) error) error {
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
	batch := c.pending
	c.pending = nil
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
