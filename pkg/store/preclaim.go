package store

import (
	"context"
	"fmt"
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
// mode), and that no deliver job has taken yet, each with its delivery as
// written. A claim is what keeps two copies of one job from both sending
// (see Lifecycle.Claim); writing it with the delivery takes a write, and a
// commit, off the path of every first attempt, and what then keeps two
// copies apart is that only one takes the preclaim from this table (Take).
// The delivery comes with it, so the job does not read it either: no other
// writer touches a pending delivery whose attempt is leased (the sweep
// waits for the lease to run out, an admin's retry is refused), so it is
// as written until its job writes it.
//
// A preclaim no job took was never attempted, and is undone so that the
// attempt is made as the first: by the sweep, once its lease has run out
// (its job waited in a backlog, or failed and waits for its message to
// come again), by an admin's retry then (Lifecycle.Retry, with
// Lifecycle.Preclaims set), and at a clean shutdown, once deliver has
// stopped (Close, TakeAll, Lifecycle.Unclaim). Only a preclaim that dies with its process
// (killed) is a claim whose worker died: the next start records the
// attempt as interrupted (RecoverIgnoringLeases), as it would a claimed one.
//
// A nil *Preclaims is valid: it holds none and takes none, so deliveries
// are created unclaimed.
type Preclaims struct {
	// timeout is the deployment's delivery timeout, for the lease.
	timeout time.Duration
	mu      sync.Mutex
	held    map[int64]herald.Delivery
	// closed: no more preclaims (Close).
	closed bool
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
	return &Preclaims{timeout: timeout, held: map[int64]herald.Delivery{}}
}

// Claim claims the first attempt of new pending delivery d to w at now, in
// memory, for the write that creates it, and reports whether it did (not
// with a nil table, a full one, nor a closed one). Once the write is done, Put records
// it; a write that failed leaves nothing to undo.
func (p *Preclaims) Claim(d *herald.Delivery, w *herald.Webhook, now time.Time) bool {
	if p == nil || d.Status != herald.StatusPending || d.AttemptCount != 0 {
		return false
	}
	p.mu.Lock()
	refused := p.closed || len(p.held) >= maxPreclaims
	p.mu.Unlock()
	if refused {
		return false
	}
	d.AttemptCount = 1
	d.LeaseUntilMS = herald.Millis(now.Add(AttemptLease(w, p.timeout)))
	return true
}

// Preclaimed reports whether d, as read or written, carries a preclaim
// (Claim): its first attempt claimed, nothing recorded.
func Preclaimed(d *herald.Delivery) bool {
	return d.Status == herald.StatusPending && d.AttemptCount == 1 && d.LeaseUntilMS != 0 && len(d.Attempts) == 0
}

// Put records the preclaim of d, as written (with its revision): ingest's
// once the write is done (the job enqueued after this may take it), or one
// a job took and gives back, having failed before it wrote anything (its
// message comes again and takes it again).
func (p *Preclaims) Put(d *herald.Delivery) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.held[d.ID] = *d
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

// Take removes the preclaim of delivery id and returns its delivery as
// written; nil when there is none (another copy of the job took it, or
// none was made).
func (p *Preclaims) Take(id int64) *herald.Delivery {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d, ok := p.held[id]
	if !ok {
		return nil
	}
	delete(p.held, id)
	return &d
}

// Undo takes the preclaim d carries, read from the store with its lease
// run out, when no job has taken it: the attempt was never made, so d's
// claim is cleared (no attempt, no lease) and the next attempt is the
// first. It returns the preclaim taken, for Put when d's write then fails;
// nil, with d unchanged, when d carries none or a job took it.
func (p *Preclaims) Undo(d *herald.Delivery) *herald.Delivery {
	if !Preclaimed(d) {
		return nil
	}
	taken := p.Take(d.ID)
	if taken != nil {
		d.AttemptCount, d.LeaseUntilMS = 0, 0
	}
	return taken
}

// Close makes Claim refuse from now on: the process's deliver function has
// stopped, and a preclaim no job takes would only be undone (Unclaim).
func (p *Preclaims) Close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

// TakeAll removes every preclaim held and returns their deliveries as
// written.
func (p *Preclaims) TakeAll() []*herald.Delivery {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*herald.Delivery, 0, len(p.held))
	for id, d := range p.held {
		out = append(out, &d)
		delete(p.held, id)
	}
	return out
}

// Unclaim undoes the preclaim of d, a delivery as written with it (or read
// since, still carrying it), whose attempt was never made: its job never
// ran (the process is shutting down) or was lost. d is written pending and
// unclaimed, with the revision it carries; it reports false, having
// written nothing, when d changed since.
func (l Lifecycle) Unclaim(ctx context.Context, d *herald.Delivery, now time.Time) (bool, error) {
	if !Preclaimed(d) {
		return false, nil
	}
	d.AttemptCount, d.LeaseUntilMS = 0, 0
	if err := l.write(ctx, d, now); err != nil {
		if Conflict(err) || NotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("undo the preclaim of delivery %d: %w", d.ID, err)
	}
	return true, nil
}
