// Package cache keeps what Herald reads on every event and every attempt in
// memory: the webhooks with their compiled subscriptions (a subscription
// table), and a bounded map for values that never change once written
// (events, opened signing secrets).
package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
	"github.com/heraldhq/herald/pkg/store"
)

// ErrNotFound is what Webhooks.Get returns for a webhook that does not exist.
var ErrNotFound = errors.New("webhook not found")

// Webhooks is an in-memory table of every webhook and its compiled
// subscription, read by ingest to fan events out and by deliver for each
// attempt instead of the store.
//
// It is meant for a process that makes every write to the webhooks itself
// (local mode): each writer calls Changed after it writes a webhook, and the
// next read fetches that webhook again, so the table is as current as the
// store. The whole table is also read again every Interval, as a backstop. A
// webhook missing from the table is looked up in the store before it counts
// as gone. When a read of the store fails, the table is served as it was
// (the failed ids stay marked for the next read); only a table never loaded
// fails its callers.
//
// With a Revision, the table also serves a process that does not make the
// writes (ingest on Lambda, or as a process of its own): once the interval
// has passed, it reads the revision — one read of the store — and reads the
// webhooks again only when the revision moved, and once more an interval
// later (a read of the webhooks right after the revision moved may not see
// the write yet, where the store's reads are eventually consistent). With
// no writes, nothing but the revision is read. MatchingAsOf reads the
// revision sooner: an event published after a webhook was written is
// matched against it.
//
// A nil *Webhooks is valid: its Changed does nothing, and callers read the
// store themselves.
type Webhooks struct {
	coll     *docstore.Collection
	revision *store.Revision
	interval time.Duration
	now      func() time.Time
	log      *slog.Logger

	// load (a one-slot semaphore) serialises reloads, so concurrent readers
	// of a stale table wait for one read of the store rather than each
	// making their own; a reader whose context ends stops waiting.
	load chan struct{}

	mu sync.RWMutex
	// scan is held for reading while the whole collection is read, and for
	// writing by Update (see there).
	scan     sync.RWMutex
	entries  map[string]*entry // nil until the first load
	loadedAt time.Time
	// gen counts calls of Changed; dirty holds the ids changed and the gen
	// of their latest change, so a reload that began before a change does
	// not clear it.
	gen   uint64
	dirty map[string]uint64
	// rev is the revision read before the last reload; settle asks for one
	// more reload after the next interval (see Revision).
	rev    int64
	settle bool
}

// entry is one webhook as stored and its compiled subscription (nil when
// the stored subscription does not compile: it then matches nothing).
type entry struct {
	w *herald.Webhook
	m *match.Matcher
}

// WebhooksConfig configures a Webhooks table.
type WebhooksConfig struct {
	// Collection is the webhooks collection. Required.
	Collection *docstore.Collection
	// Interval is how long the table is used before it is read again
	// whole — or, with a Revision, before the revision is read again.
	// Defaults to 1s.
	Interval time.Duration
	// Revision, when set, is the webhooks' revision: the table is read
	// again only when it moved (see Webhooks). Defaults to nil: the table
	// is read again every Interval.
	Revision *store.Revision
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// NewWebhooks returns an empty table over cfg.Collection; the first read
// loads it.
func NewWebhooks(cfg WebhooksConfig) *Webhooks {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Webhooks{coll: cfg.Collection, revision: cfg.Revision, interval: cfg.Interval, now: cfg.Now, log: cfg.Logger,
		load: make(chan struct{}, 1), dirty: map[string]uint64{}}
}

// Writing runs write, a field update of a webhook, while the table's reads
// of the whole collection wait: an in-memory collection (mem://) changes a
// document in place, under the feet of a query that is reading it. The
// writer then reports the write (Changed). A nil table only writes.
func (t *Webhooks) Writing(write func() error) error {
	if t == nil {
		return write()
	}
	t.scan.Lock()
	defer t.scan.Unlock()
	return write()
}

// Changed says that webhook id was written (created, changed or deleted):
// the next read fetches it from the store.
func (t *Webhooks) Changed(id string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.gen++
	t.dirty[id] = t.gen
	t.mu.Unlock()
}

// Get returns a copy of webhook id, or ErrNotFound. The copy's maps and
// slices are shared with the table and must not be modified.
func (t *Webhooks) Get(ctx context.Context, id string) (*herald.Webhook, error) {
	if err := t.sync(ctx, time.Time{}); err != nil {
		return nil, err
	}
	t.mu.RLock()
	e, ok := t.entries[id]
	gen := t.gen
	t.mu.RUnlock()
	if !ok {
		// Not in the table: created since it was read, by a writer that
		// did not say so, or gone. The store decides.
		fetched, err := t.fetch(ctx, id)
		if err != nil {
			return nil, err
		}
		if fetched == nil {
			return nil, ErrNotFound
		}
		// Keep it, unless a write was reported meanwhile (what this read
		// saw may be older than it); then the next reload brings it.
		t.mu.Lock()
		if _, there := t.entries[id]; !there && t.entries != nil && t.gen == gen {
			t.entries[id] = fetched
		}
		t.mu.Unlock()
		e = fetched
	}
	w := *e.w
	return &w, nil
}

// Matching returns copies of the enabled webhooks whose subscription
// matches ev, as Get does.
func (t *Webhooks) Matching(ctx context.Context, ev match.Event) ([]*herald.Webhook, error) {
	return t.MatchingAsOf(ctx, ev, time.Time{})
}

// MatchingAsOf is Matching that sees every webhook write announced by a
// bump of the Revision before asOf (by the table's clock): unless the
// revision was read at asOf or later, it is read first (and the webhooks
// again if it moved). Callers pass when they began handling the event,
// which was published after the writes it must see (a webhook created, then
// an event published for it); calls that began before one read of the
// revision share it, so the records of a batch, handled together, cost one
// read. Without a Revision (or with a zero asOf) it is Matching: the
// process makes the writes itself, and each is seen at once.
func (t *Webhooks) MatchingAsOf(ctx context.Context, ev match.Event, asOf time.Time) ([]*herald.Webhook, error) {
	if err := t.sync(ctx, asOf); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []*herald.Webhook
	for _, e := range t.entries {
		if e.m == nil || !e.w.Enabled || !e.m.Match(ev) {
			continue
		}
		w := *e.w
		out = append(out, &w)
	}
	// In id order (creation order), as a scan of the store gives them, so
	// an event's deliveries are made in the same order every time.
	slices.SortFunc(out, func(a, b *herald.Webhook) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// sync brings the table up to date: a whole reload when it is older than
// the interval (or was never loaded, or, with a Revision, was last checked
// before asOf), else a fetch of each changed webhook. A failed read leaves
// the table as it was, logged; it fails the caller only when there is no
// table yet.
func (t *Webhooks) sync(ctx context.Context, asOf time.Time) error {
	if !t.stale(asOf) {
		return nil
	}
	select {
	case t.load <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-t.load }()
	if !t.stale(asOf) { // another reader brought it up to date meanwhile
		return nil
	}
	t.mu.RLock()
	loaded := t.entries != nil
	whole := !loaded || t.now().Sub(t.loadedAt) >= t.interval || t.behind(asOf)
	gen := t.gen
	ids := make([]string, 0, len(t.dirty))
	for id := range t.dirty {
		ids = append(ids, id)
	}
	t.mu.RUnlock()
	var err error
	switch {
	case whole && t.revision != nil:
		err = t.reloadIfRevised(ctx, loaded, gen, ids)
	case whole:
		err = t.reload(ctx, gen)
	default:
		err = t.refetch(ctx, ids, gen)
	}
	if err != nil && loaded {
		t.log.Error("webhook table not refreshed; serving it as it was", "error", err)
		return nil
	}
	return err
}

// stale reports whether the table must be read before it is used by a
// caller that must see the writes announced before asOf.
func (t *Webhooks) stale(asOf time.Time) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.entries == nil || len(t.dirty) > 0 || t.now().Sub(t.loadedAt) >= t.interval || t.behind(asOf)
}

// behind reports whether, with a Revision, the table was last checked (the
// revision read, or the webhooks read whole) before asOf. loadedAt is when
// that read began: a write announced before then is in what it read.
// Callers hold mu.
func (t *Webhooks) behind(asOf time.Time) bool {
	return t.revision != nil && !asOf.IsZero() && t.loadedAt.Before(asOf)
}

// reloadIfRevised reads the revision and reads every webhook when it moved
// (or the table was never loaded, or must settle); otherwise the table is
// current for another interval and only the changed ids are read again.
func (t *Webhooks) reloadIfRevised(ctx context.Context, loaded bool, gen uint64, ids []string) error {
	started := t.now()
	rev, err := t.revision.Read(ctx)
	if err != nil {
		if loaded {
			t.mu.Lock()
			t.loadedAt = started // serve it as it was until the next interval
			t.mu.Unlock()
		}
		return err
	}
	t.mu.RLock()
	current := loaded && rev == t.rev && !t.settle
	t.mu.RUnlock()
	if current {
		t.mu.Lock()
		t.loadedAt = started
		t.mu.Unlock()
		return t.refetch(ctx, ids, gen)
	}
	if err := t.reload(ctx, gen); err != nil {
		return err
	}
	t.mu.Lock()
	t.settle = !t.settle || rev != t.rev
	t.rev = rev
	t.mu.Unlock()
	return nil
}

// reload reads every webhook. Webhooks are few next to events; this query is
// the deliberate scan of their collection.
func (t *Webhooks) reload(ctx context.Context, gen uint64) error {
	started := t.now()
	t.scan.RLock()
	defer t.scan.RUnlock()
	t.mu.RLock()
	old := t.entries
	t.mu.RUnlock()
	entries := map[string]*entry{}
	for w, err := range store.Docs[herald.Webhook](ctx, t.coll.Query().Get(ctx)) {
		if err != nil {
			if old != nil {
				// Serve the old table until the next interval rather
				// than scan again on every read while the store fails.
				t.mu.Lock()
				t.loadedAt = started
				t.mu.Unlock()
			}
			return fmt.Errorf("read webhooks: %w", err)
		}
		if e, ok := old[w.ID]; ok && e.w.DocstoreRevision == w.DocstoreRevision && w.DocstoreRevision != nil {
			entries[w.ID] = e // unchanged: no need to compile it again
			continue
		}
		entries[w.ID] = t.compile(w)
	}
	t.mu.Lock()
	t.entries, t.loadedAt = entries, started
	t.clean(gen)
	t.mu.Unlock()
	return nil
}

// refetch reads the webhooks ids again. An id whose read fails stays
// marked; the others are applied.
func (t *Webhooks) refetch(ctx context.Context, ids []string, gen uint64) error {
	fetched := make(map[string]*entry, len(ids))
	var errs []error
	for _, id := range ids {
		e, err := t.fetch(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fetched[id] = e
	}
	t.mu.Lock()
	for id, e := range fetched {
		t.put(id, e, gen)
	}
	t.mu.Unlock()
	return errors.Join(errs...)
}

// fetch reads webhook id from the store: its entry, or nil when it is gone.
func (t *Webhooks) fetch(ctx context.Context, id string) (*entry, error) {
	w := &herald.Webhook{ID: id}
	switch err := t.coll.Get(ctx, w); {
	case err == nil:
		return t.compile(w), nil
	case gcerrors.Code(err) == gcerrors.NotFound:
		return nil, nil
	default:
		return nil, fmt.Errorf("read webhook %s: %w", id, err)
	}
}

// put stores e (nil: gone) as webhook id, read after the changes up to gen,
// and clears id's mark if no change came since. Callers hold mu.
func (t *Webhooks) put(id string, e *entry, gen uint64) {
	if t.entries == nil {
		return // never loaded: the first load reads it
	}
	if e == nil {
		delete(t.entries, id)
	} else {
		t.entries[id] = e
	}
	if g, ok := t.dirty[id]; ok && g <= gen {
		delete(t.dirty, id)
	}
}

// clean forgets the changes made up to gen, which the read that began at
// gen has seen. Callers hold mu.
func (t *Webhooks) clean(gen uint64) {
	for id, g := range t.dirty {
		if g <= gen {
			delete(t.dirty, id)
		}
	}
}

func (t *Webhooks) compile(w *herald.Webhook) *entry {
	m, err := match.Compile(w)
	if err != nil {
		t.log.Error("webhook has an invalid subscription", "webhook_id", w.ID, "error", err)
		m = nil
	}
	return &entry{w: w, m: m}
}
