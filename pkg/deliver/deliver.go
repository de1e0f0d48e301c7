// Package deliver is the deliver function: it takes a deliver job, claims the
// attempt, POSTs the signed event to the webhook, records the attempt, and
// schedules the next one or gives the delivery up.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
	"github.com/heraldhq/herald/pkg/store"
)

// Config configures a Handler.
type Config struct {
	// Webhooks, Events and Deliveries are the collections. Required.
	Webhooks   *docstore.Collection
	Events     *docstore.Collection
	Deliveries *docstore.Collection
	// Enqueuer schedules retries. Required.
	Enqueuer store.Enqueuer
	// Ingest is where Herald's own events are published: the ingest topic,
	// or the own-events channel ingest trusts with reserved event types
	// (HERALD_OWN_EVENTS_TOPIC). Required.
	Ingest *pubsub.Topic
	// Sealer opens the webhooks' sealed signing secrets. Required.
	Sealer *seal.Sealer
	// Table, when set, is where webhooks are read instead of the store;
	// every webhook write of the Handler is reported to it. Defaults to nil:
	// each attempt reads its webhook from the store.
	Table *cache.Webhooks
	// Revision, when set, is bumped after the Handler disables a webhook,
	// so the webhook tables of other processes (ingest's) see it. Defaults
	// to nil: none (a process whose Table is its only reader's).
	Revision *store.Revision
	// EventCache, when set, holds events read (or stored by ingest in the
	// same process), so the deliveries of one event read it once.
	EventCache *cache.Events
	// Preclaims, when set, are the first attempts ingest of the same
	// process claimed as it created their deliveries (see
	// store.Preclaims): a job that takes one makes its attempt without
	// writing a claim. Defaults to nil: none.
	Preclaims *store.Preclaims
	// Retention is how long a finished delivery is kept: its expires_at is
	// when it finishes plus Retention (HERALD_RETENTION). Defaults to
	// herald.DefaultRetention.
	Retention time.Duration
	// Metrics counts attempts by outcome. Defaults to nil: nothing counted.
	Metrics *metrics.Metrics
	// Client sends the requests. Defaults to outbound.NewClient(outbound.ClientConfig{}).
	Client *http.Client
	// HeaderPrefix goes before Event, Delivery-Id and Signature. Defaults to
	// "X-Herald-".
	HeaderPrefix string
	// HexSignature is what the hex <prefix>Signature header carries
	// (HERALD_HEX_SIGNATURE). Defaults to signature.HexSHA256.
	HexSignature signature.HexMode
	// Schedule is the deployment's retry schedule, used by webhooks without
	// their own. Defaults to retry.Default().
	Schedule retry.Schedule
	// Timeout is the longest one attempt may take, for webhooks without
	// their own timeout_seconds (the deployment's HERALD_DELIVERY_TIMEOUT).
	// Each attempt gets it, or its webhook's, as a context deadline; the
	// Client's own timeout must not be shorter than the longest webhook
	// timeout (herald.MaxTimeoutSeconds) for the longer ones to apply.
	// Defaults to 10s.
	Timeout time.Duration
	// MaxInFlight bounds the attempts in flight to one webhook in this
	// process, for webhooks without their own max_in_flight. Defaults to
	// herald.DefaultMaxInFlight.
	MaxInFlight int
	// MaxSending bounds the requests in flight at once in this process
	// (HERALD_DELIVER_CONCURRENCY). Only the request holds a slot: a job
	// claiming its attempt or recording its result waits for the store
	// without one, so a consumer running more jobs than this (see
	// JobsPerSend) keeps the sends busy while others wait for a commit.
	// Defaults to 0: unbounded.
	MaxSending int
	// BusyDelay is how long a job for a webhook at its in-flight cap is put
	// back for, instead of holding a consumer slot. Defaults to 1s.
	BusyDelay time.Duration
	// SoleOwner says that this Handler is the only one recording the
	// health of its webhooks (local mode, whose data dir one process
	// locks): a webhook it found healthy stays so until it records a
	// failure, so a success to it costs no read of its health. Defaults to
	// false: each success reads it.
	SoleOwner bool
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Handler is the deliver function's domain handler.
type Handler struct {
	cfg      Config
	sender   outbound.Sender
	inFlight inFlight
	sending  chan struct{} // a slot per request in flight; nil: unbounded
	// secrets holds the secrets sealed values opened to, with their keys:
	// a sealed value never changes, and opening one may be a KMS call.
	secrets *cache.Bounded[string, signature.Secret]
	// healthy, with Config.SoleOwner, is the webhooks known healthy; nil
	// otherwise.
	healthy *healthy
}

// secretCacheSize bounds the opened signing secrets a Handler holds.
const secretCacheSize = 4096

// New returns a Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Webhooks == nil || cfg.Events == nil || cfg.Deliveries == nil || cfg.Enqueuer == nil ||
		cfg.Ingest == nil || cfg.Sealer == nil {
		return nil, errors.New("deliver: Webhooks, Events, Deliveries, Enqueuer, Ingest and Sealer are required")
	}
	cfg.Timeout = herald.PositiveOr(cfg.Timeout, store.DefaultAttemptTimeout)
	cfg.Retention = herald.PositiveOr(cfg.Retention, herald.DefaultRetention)
	cfg.MaxInFlight = herald.PositiveOr(cfg.MaxInFlight, herald.DefaultMaxInFlight)
	cfg.BusyDelay = herald.PositiveOr(cfg.BusyDelay, time.Second)
	if cfg.Client == nil {
		cfg.Client = outbound.NewClient(outbound.ClientConfig{Timeout: cfg.Timeout})
	}
	if len(cfg.Schedule) == 0 {
		cfg.Schedule = retry.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	signer := signature.Signer{Prefix: cfg.HeaderPrefix, Hex: cfg.HexSignature}
	sender := outbound.Sender{Client: cfg.Client, Signer: signer, Now: cfg.Now}
	h := &Handler{cfg: cfg, sender: sender, secrets: cache.NewBounded[string, signature.Secret](secretCacheSize)}
	if cfg.SoleOwner {
		h.healthy = &healthy{of: map[string]healthState{}}
	}
	if cfg.MaxSending > 0 {
		h.sending = make(chan struct{}, cfg.MaxSending)
		h.inFlight.jobsPer = JobsPerSend
	}
	return h, nil
}

// JobsPerSend is how many deliver jobs a consumer runs at once per request
// slot (Config.MaxSending): a job spends about as long waiting for its claim
// and its record to commit as its request takes, and the jobs waiting for
// one commit share it, so more of them make fewer, fuller commits.
const JobsPerSend = 4

// earlyTolerance is how much before its due time a job is still made; an
// earlier one is put back until it is due.
const earlyTolerance = 50 * time.Millisecond

// Handle processes one deliver job. A job that is stale (already claimed, the
// delivery finished or gone) is done without sending; store failures are
// returned for redelivery.
func (h *Handler) Handle(ctx context.Context, body []byte) error {
	job, err := herald.DecodeJob(body)
	if err != nil {
		return err
	}
	log := h.cfg.Logger.With("delivery_id", job.DeliveryID, "attempt", job.Attempt)
	d, pre, err := h.load(ctx, job)
	if err != nil || d == nil {
		return err
	}
	now := h.cfg.Now()
	if due := herald.FromMillis(d.NextAttemptMS); now.Add(earlyTolerance).Before(due) {
		pre.giveBack() // for the job enqueued here
		return h.cfg.Enqueuer.Enqueue(ctx, job, due)
	}
	w, ev, reason, err := h.target(ctx, d)
	if err != nil {
		pre.giveBack()
		return err
	}
	if reason != "" {
		log.Info("delivery not sent", "webhook_id", d.WebhookID, "reason", reason)
		return h.stop(ctx, d, reason)
	}
	attempt := func() error { return h.attempt(ctx, job, d, pre, w, ev, log) }
	if w.Paused {
		return h.hold(ctx, d, pre, attempt)
	}
	return attempt()
}

// attempt makes the job's attempt of d to w, unless w is at its in-flight
// cap (the job is then put back for BusyDelay, unclaimed, so one slow
// endpoint cannot hold every consumer slot), and records it. pre is the
// job's preclaim, if any (see claim).
func (h *Handler) attempt(ctx context.Context, job herald.Job, d *herald.Delivery, pre *preclaim, w *herald.Webhook, ev *herald.Event, log *slog.Logger) error {
	now := h.cfg.Now()
	// The keys and headers are opened before the attempt is claimed: a
	// keeper that is unavailable (KMS throttling, an outage) costs no
	// attempt, the job is simply tried again.
	creds, err := h.credentials(ctx, w, now)
	if err != nil {
		pre.giveBack()
		return err
	}
	slot, free := h.inFlight.admit(w.ID, h.maxInFlight(w))
	if !free {
		log.Debug("webhook at its in-flight cap; job put back", "webhook_id", w.ID)
		return h.putBack(ctx, job, d, now.Add(h.cfg.BusyDelay))
	}
	defer slot.done()
	claimed, cerr := h.claim(ctx, d, w, job.Attempt, pre)
	if cerr != nil || !claimed {
		return cerr
	}
	if creds.unusable != "" {
		log.Error("webhook "+creds.unusable, "webhook_id", w.ID, "error", creds.cause)
		return h.record(ctx, d, w, herald.Attempt{Attempt: job.Attempt, AtMS: herald.Millis(now), URL: w.URL, Error: creds.unusable})
	}
	release, err := h.awaitSend(ctx, slot)
	if err != nil {
		return err // shutdown: the claimed attempt is re-armed, as below
	}
	if herald.FromMillis(d.LeaseUntilMS).Sub(h.cfg.Now()) < h.lease(w)-store.LeaseMargin/2 {
		// More than half the margin of the lease is gone (slow requests
		// ahead, or a preclaimed job that waited long in the queue): it is
		// renewed before the request, so the sweep cannot take the attempt
		// for a lost one while it is made. Lost to another worker meanwhile
		// (written over since d was read), the attempt is theirs.
		renewed, err := h.claim(ctx, d, w, job.Attempt, nil)
		if err != nil || !renewed {
			release()
			return err
		}
	}
	a := h.sender.Send(ctx, outbound.Request{
		URL:     w.URL,
		Headers: creds.headers,
		Secrets: creds.secrets,
		Message: signature.Message{ID: ev.PublishedID(), EventType: ev.Type, DeliveryID: d.ID,
			Timestamp: h.cfg.Now(), Body: ev.Body(w.PayloadFormat)},
		Timeout: h.timeout(w),
	})
	release()
	a.Attempt, a.URL = job.Attempt, w.URL
	if a.StatusCode == 0 && ctx.Err() != nil {
		// Cut off by a shutdown before an answer came: not the receiver's
		// failure. The delivery stays pending under its lease, re-armed at
		// the next start (or by the sweep once the lease runs out).
		return ctx.Err()
	}
	log.Debug("attempt made", "webhook_id", w.ID, "event_id", ev.PublishedID(), "status_code", a.StatusCode, "error", a.Error)
	// The receiver has answered: its answer is recorded even when a
	// shutdown's deadline cancels ctx meanwhile, or a delivery that
	// succeeded would be sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), store.LeaseMargin)
	defer cancel()
	if err := h.observe(rctx, d, w, a); err != nil {
		return err
	}
	return h.record(rctx, d, w, a)
}

// awaitSend waits for one of the webhook's request slots (slot.send), then
// for one of the process's (Config.MaxSending), and returns what gives
// both back; it fails only when ctx ends.
func (h *Handler) awaitSend(ctx context.Context, slot *slot) (release func(), err error) {
	if err := slot.send(ctx); err != nil {
		return nil, err
	}
	if h.sending == nil {
		return slot.sent, nil
	}
	select {
	case h.sending <- struct{}{}:
		return func() { <-h.sending; slot.sent() }, nil
	case <-ctx.Done():
		slot.sent()
		return nil, ctx.Err()
	}
}

// putBack defers a job whose webhook is at its in-flight cap to due. The
// delivery's next attempt moves to due first, with a revision-checked write:
// the sweep then does not take the waiting delivery for a lost one and
// publish more copies of its job, and of several copies of one job bouncing
// at once only one wins the write and stays — the others are dropped.
func (h *Handler) putBack(ctx context.Context, job herald.Job, d *herald.Delivery, due time.Time) error {
	if err := h.lifecycle().Defer(ctx, d, due, h.cfg.Now()); err != nil {
		if store.Conflict(err) {
			return nil // another copy of the job, or a worker, moved it on
		}
		return fmt.Errorf("defer delivery %d: %w", d.ID, err)
	}
	return h.cfg.Enqueuer.Enqueue(ctx, job, due)
}
