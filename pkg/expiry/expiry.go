// Package expiry is the expiry-notifier: on a schedule it deletes events and
// finished deliveries past retention, gives up deliveries that a paused
// webhook has held longer than the hold limit, drops rotated-out secrets whose
// grace period is over and warns of secrets nearing expiry.
package expiry

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/schedule"
)

// Config configures a Notifier.
type Config struct {
	// Webhooks, Events and Deliveries are the collections. Required.
	Webhooks   *docstore.Collection
	Events     *docstore.Collection
	Deliveries *docstore.Collection
	// Table, when set, is told of every webhook the notifier writes.
	Table *cache.Webhooks
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
	Enqueuer schedule.JobEnqueuer
	// Retention is how long events and finished deliveries are kept.
	// Defaults to 30 days.
	Retention time.Duration
	// PauseHold is how long a paused webhook holds a delivery before it is
	// given up. Defaults to 7 days.
	PauseHold time.Duration
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
	if cfg.Webhooks == nil || cfg.Events == nil || cfg.Deliveries == nil || cfg.Ingest == nil {
		return nil, errors.New("expiry: Webhooks, Events, Deliveries and Ingest are required")
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 30 * 24 * time.Hour
	}
	if cfg.PauseHold <= 0 {
		cfg.PauseHold = 7 * 24 * time.Hour
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Minute
	}
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
	ReleasedHeld      int
	// GraceEnded counts rotated-out secrets dropped, webhooks' and
	// applications' together.
	GraceEnded int
	// ExpiringNotified counts secret-expiring events emitted.
	ExpiringNotified int
}

// Tick runs every duty once.
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
	if r.DeletedDeliveries, err = n.deleteDeliveries(ctx, now.Add(-n.cfg.Retention)); err != nil {
		return r, err
	}
	if r.DeletedEvents, err = n.deleteEvents(ctx, now.Add(-n.cfg.Retention)); err != nil {
		return r, err
	}
	r.GraceEnded, r.ExpiringNotified, err = n.secretDuties(ctx, now)
	return r, err
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
				"expiring_notified", r.ExpiringNotified)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}
