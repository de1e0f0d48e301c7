package store

import (
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
)

// LeaseMargin is how long, beyond the request timeout, recording an
// attempt's result may take before the attempt counts as lost.
const LeaseMargin = 5 * time.Second

// DefaultAttemptTimeout is the deployment's delivery timeout when
// HERALD_DELIVERY_TIMEOUT is not set.
const DefaultAttemptTimeout = 10 * time.Second

// AttemptTimeout is how long one attempt to w may take: its
// timeout_seconds, or the deployment's (HERALD_DELIVERY_TIMEOUT).
func AttemptTimeout(w *herald.Webhook, deployment time.Duration) time.Duration {
	if w.TimeoutSeconds > 0 {
		return time.Duration(min(w.TimeoutSeconds, herald.MaxTimeoutSeconds)) * time.Second
	}
	return deployment
}

// AttemptLease is how long a claimed attempt to w is protected from the
// sweep: its timeout and the margin.
func AttemptLease(w *herald.Webhook, deployment time.Duration) time.Duration {
	return AttemptTimeout(w, deployment) + LeaseMargin
}

// Preclaims are the first attempts that ingest claimed in the write that
// created their deliveries, in a process that also delivers them (local
// mode), and that no deliver job has taken yet. A claim is what keeps two
// copies of one job from both sending (see Lifecycle.Claim); writing it with
// the delivery takes a write, and a commit, off the path of every first
// attempt, and what then keeps two copies apart is that only one takes the
// preclaim from this table (Take). A preclaim that dies with its process is
// a claim whose worker died: the next start records the attempt as
// interrupted (RecoverIgnoringLeases), as it would a claimed one.
//
// A nil *Preclaims is valid: it holds none and takes none, so deliveries
// are created unclaimed.
type Preclaims struct {
	// timeout is the deployment's delivery timeout, for the lease.
	timeout time.Duration
	mu      sync.Mutex
	// held maps a delivery id to the lease its preclaim was written with.
	held map[int64]int64
}

// maxPreclaims bounds the preclaims held: past it, deliveries are created
// unclaimed. Each is taken as soon as its job runs; the bound only matters
// when jobs are lost (a failed enqueue), whose deliveries the sweep re-arms
// once their lease has run out.
const maxPreclaims = 1 << 16

// NewPreclaims returns an empty table for a deployment whose delivery
// timeout is timeout.
func NewPreclaims(timeout time.Duration) *Preclaims {
	timeout = herald.PositiveOr(timeout, DefaultAttemptTimeout)
	return &Preclaims{timeout: timeout, held: map[int64]int64{}}
}

// Claim claims the first attempt of new pending delivery d to w at now, in
// memory, for the write that creates it, and reports whether it did (not
// with a nil table, nor a full one). Once the write is done, Put records
// it; a write that failed leaves nothing to undo.
func (p *Preclaims) Claim(d *herald.Delivery, w *herald.Webhook, now time.Time) bool {
	if p == nil || d.Status != herald.StatusPending || d.AttemptCount != 0 {
		return false
	}
	p.mu.Lock()
	full := len(p.held) >= maxPreclaims
	p.mu.Unlock()
	if full {
		return false
	}
	d.AttemptCount = 1
	d.LeaseUntilMS = herald.Millis(now.Add(AttemptLease(w, p.timeout)))
	return true
}

// Put records the preclaim of delivery id, written with lease leaseUntilMS:
// ingest once the delivery's write is done (its deliver job, enqueued after
// this, may take it), or a job that took it and failed before it used it
// (the job's message comes again and takes it again). A job that takes a
// preclaim checks the delivery still carries it: one written over since is
// void.
func (p *Preclaims) Put(id int64, leaseUntilMS int64) {
	p.mu.Lock()
	p.held[id] = leaseUntilMS
	p.mu.Unlock()
}

// Holds reports whether the preclaim of delivery id is held, not taken by a
// job yet.
func (p *Preclaims) Holds(id int64) bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.held[id]
	return ok
}

// Take removes the preclaim of delivery id and returns its lease; false
// when there is none (another copy of the job took it, or none was made).
func (p *Preclaims) Take(id int64) (leaseUntilMS int64, ok bool) {
	if p == nil {
		return 0, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	leaseUntilMS, ok = p.held[id]
	delete(p.held, id)
	return leaseUntilMS, ok
}
