// Package expiry is the expiry-notifier: on a schedule it gives up
// deliveries that a paused webhook has held longer than the hold limit, drops
// rotated-out secrets whose grace period is over, warns of secrets nearing
// expiry, validates endpoints again (HERALD_REVALIDATE_INTERVAL), and deletes events and finished deliveries past their expires_at —
// unless the store does that itself (DynamoDB's TTL).
//
// Every query it makes reads an index, so a tick costs what it finds, not
// the size of the tables: held deliveries from the sparse, sharded held
// index, secret duties from the sparse, sharded secret-duty index of
// webhooks and applications, expired documents from the expires_at index
// (local mode's bolt:// collections).
package expiry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/validation"
)

// Config configures a Notifier.
type Config struct {
	// Webhooks and Deliveries are the collections. Required.
	Webhooks   *docstore.Collection
	Deliveries *docstore.Collection
	// Events is the events collection. Required unless TTL (the notifier
	// then never reads it).
	Events *docstore.Collection
	// Table, when set, is told of every webhook the notifier writes.
	Table *cache.Webhooks
	// Revision, when set, is bumped after every webhook the notifier
	// writes, for the webhook tables of other processes. Defaults to nil.
	Revision *store.Revision
	// Applications is the applications collection. Defaults to nil: the
	// applications' secrets are left alone.
	Applications *docstore.Collection
	// Ingest is where Herald's own events are published: the ingest topic,
	// or the own-events channel ingest trusts with reserved event types
	// (HERALD_OWN_EVENTS_TOPIC). Required.
	Ingest *pubsub.Topic
	// Enqueuer, when set, lets each tick send the deliveries still held for
	// a webhook that is no longer paused (a backstop for a resume that
	// raced with a hold). Defaults to nil: no such pass.
	Enqueuer store.Enqueuer
	// Retention is how long a delivery the notifier gives up is kept: its
	// expires_at is then plus Retention (HERALD_RETENTION). Defaults to
	// herald.DefaultRetention.
	Retention time.Duration
	// TTL says that the store deletes expired events and deliveries itself
	// (DynamoDB's TTL on expires_at; see config.Config.TTL), so the notifier
	// does not look for them — DynamoDB has no index for that query.
	// Defaults to false: the notifier deletes them (bolt://, mem://).
	TTL bool
	// PauseHold is how long a paused webhook holds a delivery before it is
	// given up. Defaults to 7 days.
	PauseHold time.Duration
	// RevalidateInterval, when positive, is how often each enabled webhook
	// is validated again (HERALD_REVALIDATE_INTERVAL), with Validation.
	// Defaults to 0: never.
	RevalidateInterval time.Duration
	// Validation makes the validation calls. Required (its Sealer and
	// Client) when RevalidateInterval is set.
	Validation validation.Caller
	// Interval is how often Run ticks. Defaults to 5m.
	Interval time.Duration
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Notifier is the expiry-notifier's domain handler.
type Notifier struct {
	cfg Config
}

// New returns a Notifier for cfg.
func New(cfg Config) (*Notifier, error) {
	if cfg.Webhooks == nil || cfg.Deliveries == nil || cfg.Ingest == nil || (cfg.Events == nil && !cfg.TTL) {
		return nil, errors.New("expiry: Webhooks, Deliveries, Ingest and (unless TTL) Events are required")
	}
	if cfg.RevalidateInterval > 0 && (cfg.Validation.Sealer == nil || cfg.Validation.Client == nil) {
		return nil, errors.New("expiry: re-validation needs Validation's Sealer and Client")
	}
	cfg.Retention = herald.PositiveOr(cfg.Retention, herald.DefaultRetention)
	cfg.PauseHold = herald.PositiveOr(cfg.PauseHold, 7*24*time.Hour)
	cfg.Interval = herald.PositiveOr(cfg.Interval, 5*time.Minute)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Notifier{cfg: cfg}, nil
}

// Report says what one Tick did.
type Report struct {
	DeletedEvents     int
	DeletedDeliveries int
	ExpiredHeld       int
	// ReleasedHeld counts held deliveries settled by the backstop:
	// released, moved to the current pause's queue, or ended as not sent.
	ReleasedHeld int
	// GraceEnded counts rotated-out secrets dropped, webhooks' and
	// applications' together.
	GraceEnded int
	// ExpiringNotified counts secret-expiring events emitted.
	ExpiringNotified int
	// Revalidated counts webhooks validated again; RevalidationFailed
	// those of them that failed.
	Revalidated, RevalidationFailed int
}

// Tick runs every duty once. Deleting expired documents comes last: it is
// the one duty that can wait for the next tick.
func (n *Notifier) Tick(ctx context.Context) (Report, error) {
	var r Report
	var err error
	now := n.cfg.Now()
	if r.ReleasedHeld, err = n.releaseHeld(ctx, now); err != nil {
		return r, err
	}
	if r.ExpiredHeld, err = n.expireHeld(ctx, now); err != nil {
		return r, err
	}
	if r.GraceEnded, r.ExpiringNotified, err = n.secretDuties(ctx, now); err != nil {
		return r, err
	}
	if r.Revalidated, r.RevalidationFailed, err = n.revalidate(ctx, now); err != nil {
		return r, err
	}
	if n.cfg.TTL {
		return r, nil
	}
	if r.DeletedDeliveries, err = n.deleteExpired(ctx, n.cfg.Deliveries, now, func() docstore.Document { return new(herald.Delivery) }); err != nil {
		return r, fmt.Errorf("delete expired deliveries: %w", err)
	}
	if r.DeletedEvents, err = n.deleteExpired(ctx, n.cfg.Events, now, func() docstore.Document { return new(herald.Event) }); err != nil {
		return r, fmt.Errorf("delete expired events: %w", err)
	}
	return r, nil
}

// Run is the long-running adapter: Tick now and every Interval until ctx is
// done. A failed tick is logged and tried again at the next one.
func (n *Notifier) Run(ctx context.Context) error {
	ticker := time.NewTicker(n.cfg.Interval)
	defer ticker.Stop()
	for {
		r, err := n.Tick(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			n.cfg.Logger.Error("expiry tick", "error", err)
		case r != Report{}:
			n.cfg.Logger.Info("expiry tick", "deleted_events", r.DeletedEvents,
				"deleted_deliveries", r.DeletedDeliveries, "expired_held", r.ExpiredHeld,
				"released_held", r.ReleasedHeld, "grace_ended", r.GraceEnded,
				"expiring_notified", r.ExpiringNotified, "revalidated", r.Revalidated,
				"revalidation_failed", r.RevalidationFailed)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}
