// Package cache keeps what Herald reads on every event and every attempt in
// memory: the webhooks with their compiled subscriptions (a subscription
// table), and a bounded map for values that never change once written
// (events, opened signing keys).
package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
)

// ErrNotFound is what Webhooks.Get returns for a webhook that does not exist.
var ErrNotFound = errors.New("webhook not found")

// Webhooks is an in-memory table of every webhook and its compiled
// subscription, read by ingest to fan events out and by deliver for each
// attempt instead of the store.
//
// It is refreshed two ways. A writer in the same process calls Changed after
// it writes a webhook: the next read fetches that webhook again, so a
// process sees its own writes at once. And the whole table is read again
// every Interval, which bounds how long a write made by another process (the
// admin API of a separate deployment) goes unseen.
//
// A nil *Webhooks is valid: its Changed does nothing, and callers read the
// store themselves.
type Webhooks struct {
	coll     *docstore.Collection
	interval time.Duration
	now      func() time.Time
	log      *slog.Logger

	// load serialises reloads, so concurrent readers of a stale table wait
	// for one read of the store rather than each making their own.
	load sync.Mutex

	mu       sync.RWMutex
	entries  map[string]*entry // nil until the first load
	loadedAt time.Time
	// gen counts calls of Changed; dirty holds the ids changed and the gen
	// of their latest change, so a reload that began before a change does
	// not clear it.
	gen   uint64
	dirty map[string]uint64
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
	// whole. Defaults to 1s.
	Interval time.Duration
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
	return &Webhooks{coll: cfg.Collection, interval: cfg.Interval, now: cfg.Now, log: cfg.Logger,
		dirty: map[string]uint64{}}
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
	if err := t.sync(ctx); err != nil {
		return nil, err
	}
	t.mu.RLock()
	e, ok := t.entries[id]
	t.mu.RUnlock()
	if !ok {
		return nil, ErrNotFound
	}
	w := *e.w
	return &w, nil
}

// Matching returns copies of the enabled webhooks whose subscription
// matches ev, as Get does.
func (t *Webhooks) Matching(ctx context.Context, ev match.Event) ([]*herald.Webhook, error) {
	if err := t.sync(ctx); err != nil {
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
	return out, nil
}

// sync brings the table up to date: a whole reload when it is older than
// the interval (or was never loaded), else a fetch of each changed webhook.
func (t *Webhooks) sync(ctx context.Context) error {
	if !t.stale() {
		return nil
	}
	t.load.Lock()
	defer t.load.Unlock()
	if !t.stale() { // another reader brought it up to date meanwhile
		return nil
	}
	t.mu.RLock()
	whole := t.entries == nil || t.now().Sub(t.loadedAt) >= t.interval
	gen := t.gen
	ids := make([]string, 0, len(t.dirty))
	for id := range t.dirty {
		ids = append(ids, id)
	}
	t.mu.RUnlock()
	if whole {
		return t.reload(ctx, gen)
	}
	return t.refetch(ctx, ids, gen)
}

// stale reports whether the table must be read before it is used.
func (t *Webhooks) stale() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.entries == nil || len(t.dirty) > 0 || t.now().Sub(t.loadedAt) >= t.interval
}

// reload reads every webhook. Webhooks are few next to events; this query is
// the deliberate scan of their collection.
func (t *Webhooks) reload(ctx context.Context, gen uint64) error {
	started := t.now()
	iter := t.coll.Query().Get(ctx)
	defer iter.Stop()
	entries := map[string]*entry{}
	for {
		w := new(herald.Webhook)
		err := iter.Next(ctx, w)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read webhooks: %w", err)
		}
		entries[w.ID] = t.compile(w)
	}
	t.mu.Lock()
	t.entries, t.loadedAt = entries, started
	t.clean(gen)
	t.mu.Unlock()
	return nil
}

// refetch reads the webhooks ids again.
func (t *Webhooks) refetch(ctx context.Context, ids []string, gen uint64) error {
	fetched := make(map[string]*entry, len(ids))
	for _, id := range ids {
		w := &herald.Webhook{ID: id}
		switch err := t.coll.Get(ctx, w); {
		case err == nil:
			fetched[id] = t.compile(w)
		case gcerrors.Code(err) == gcerrors.NotFound:
			fetched[id] = nil
		default:
			return fmt.Errorf("read webhook %s: %w", id, err)
		}
	}
	t.mu.Lock()
	for id, e := range fetched {
		if e == nil {
			delete(t.entries, id)
		} else {
			t.entries[id] = e
		}
	}
	t.clean(gen)
	t.mu.Unlock()
	return nil
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
