// Package ingest is the ingest function: it takes an event envelope from the
// ingest topic, stores the event once, and creates and enqueues one delivery
// per matching webhook.
package ingest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/txn"
)

// Config configures a Handler.
type Config struct {
	// Webhooks, Events and Deliveries are the collections. Required.
	Webhooks   *docstore.Collection
	Events     *docstore.Collection
	Deliveries *docstore.Collection
	// Enqueuer publishes the first attempt of each delivery
	// (*enqueue.Enqueuer). Required.
	Enqueuer store.Enqueuer
	// Table, when set, is where the webhooks an event fans out to are found,
	// instead of a query of the store per event; every webhook write of the
	// Handler is reported to it. Defaults to nil.
	Table *cache.Webhooks
	// EventCache, when set, is given each event stored, for the deliver
	// function of the same process.
	EventCache *cache.Events
	// Preclaims, when set, is where the first attempts of new deliveries
	// are claimed, in the write that creates them, for the deliver
	// function of the same process (see store.Preclaims). Defaults to nil:
	// deliveries are created unclaimed.
	Preclaims *store.Preclaims
	// Retention is how long an event is kept: its expires_at is its ingest
	// plus Retention (HERALD_RETENTION). Defaults to
	// herald.DefaultRetention.
	Retention time.Duration
	// SoleOwner says that this Handler is the only ingest handler using the
	// store (local mode, whose data dir one process locks): a fan-out lease
	// held by another owner was left by a process that is gone, and its
	// event's fan-out is taken over at once instead of after the lease.
	SoleOwner bool
	// Parser parses envelopes. Defaults to envelope.New with its defaults.
	Parser *envelope.Parser
	// RefuseOwnEvents makes Handle refuse Herald's reserved event types
	// (webhook.*, application.*) as malformed: set when Herald's own events
	// come through a channel of their own, handled by HandleOwn, so that
	// upstream publishers cannot forge them. Defaults to false: Handle takes
	// them (local mode, where only Herald publishes to the ingest topic).
	RefuseOwnEvents bool
	// OwnEvents, when set, is where Herald's own events are published: a
	// paused webhook's queue overflowing announces itself there
	// (webhook.endpoint.pause_overflow). Defaults to nil: not announced.
	OwnEvents *pubsub.Topic
	// Metrics, when set, counts events ingested, deliveries created and
	// deliveries dropped by a full pause queue. Defaults to nil: none.
	Metrics *metrics.Metrics
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Handler is the ingest function's domain handler.
type Handler struct {
	cfg Config
	// owner is what this Handler writes as the owner of the fan-out
	// leases it takes.
	owner string
	// together says the store writes an event and its deliveries in one
	// transaction (see ingestAtOnce).
	together bool
}

// New returns a Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Webhooks == nil || cfg.Events == nil || cfg.Deliveries == nil || cfg.Enqueuer == nil {
		return nil, errors.New("ingest: Webhooks, Events, Deliveries and Enqueuer are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Retention <= 0 {
		cfg.Retention = herald.DefaultRetention
	}
	if cfg.Parser == nil {
		cfg.Parser = envelope.New(envelope.Config{Now: cfg.Now})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	w := txn.For(cfg.Events)
	return &Handler{cfg: cfg, owner: rand.Text(), together: w != nil && w.Includes(cfg.Deliveries)}, nil
}

// Handle ingests one envelope. An envelope that fails validation, or that
// carries a reserved event type while Config.RefuseOwnEvents is set, is a
// *herald.MalformedError; store and publish failures are returned as they
// are, so the message is redelivered and the fan-out resumes where it
// stopped.
func (h *Handler) Handle(ctx context.Context, body []byte) error {
	return h.handle(ctx, body, !h.cfg.RefuseOwnEvents)
}

// HandleOwn is Handle for the channel only Herald publishes to: reserved
// event types are taken.
func (h *Handler) HandleOwn(ctx context.Context, body []byte) error {
	return h.handle(ctx, body, true)
}

func (h *Handler) handle(ctx context.Context, body []byte, ownAllowed bool) error {
	// The message was published before this: the webhooks written before it
	// was published must be matched (see fanOut).
	began := h.cfg.Now()
	// The admin API relays what it parsed, naming what it inserted, so the
	// bytes its publisher sent can still be delivered as published.
	env, err := h.cfg.Parser.ParseRelayed(body, consume.Metadata(ctx)[envelope.InsertedMetadata])
	if err != nil {
		return herald.Malformed("invalid event envelope", err)
	}
	if !ownAllowed && herald.IsOwnEvent(env.EventType) {
		return herald.Malformed("reserved event type from an upstream publisher",
			fmt.Errorf("event_type %q is reserved for Herald's own events", env.EventType))
	}
	if done, err := h.ingestAtOnce(ctx, env, began); err != nil || done {
		return err
	}
	ev, resumed, err := h.storeEvent(ctx, env)
	if err != nil || ev == nil {
		return err
	}
	if resumed {
		// A stored envelope is the one that counts; redelivered bytes may
		// carry a different generated id or timestamp.
		if env, err = h.cfg.Parser.Parse([]byte(ev.Payload)); err != nil {
			return herald.Malformed("stored event no longer parses", err)
		}
	}
	n, err := h.fanOut(ctx, ev, env, resumed, began)
	if err != nil {
		// Let the redelivered message resume at once rather than wait out
		// the lease; if this write fails too, the lease runs out by itself.
		_ = store.ReleaseFanOutLease(ctx, h.cfg.Events, ev)
		return err
	}
	if err := store.MarkFannedOut(ctx, h.cfg.Events, ev); err != nil {
		return err
	}
	h.ingested(env, n)
	return nil
}

// ingested counts and logs an event ingested with n deliveries.
func (h *Handler) ingested(env *envelope.Envelope, n int) {
	h.cfg.Metrics.EventIngested()
	h.cfg.Logger.Debug("event ingested", "event_id", env.EventID, "tenant_id", env.TenantID,
		"partner_id", env.PartnerID, "event_type", env.EventType, "deliveries", n)
}
