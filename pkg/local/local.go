// Package local runs all five Herald functions in one process, sharing one
// set of topics and collections (by default memq:// topics, the ingest one
// journaled, and bolt:// collections, all under the data dir; it links both
// drivers): the admin API, ingest, deliver, retry-scheduler and
// expiry-notifier, each in a goroutine, their errors collected on one
// channel, shut down together.
package local

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/admin"
	_ "github.com/heraldhq/herald/pkg/boltdoc" // bolt:// collections, local mode's default
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/function/adminfn"
	"github.com/heraldhq/herald/pkg/function/deliverfn"
	"github.com/heraldhq/herald/pkg/function/expiryfn"
	"github.com/heraldhq/herald/pkg/function/ingestfn"
	"github.com/heraldhq/herald/pkg/function/schedulerfn"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/memq"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/schedule"
	"github.com/heraldhq/herald/pkg/store"
)

func init() {
	// memdocstore snapshots documents with gob, which must know the dynamic
	// types stored in them.
	gob.Register(time.Time{})
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// DefaultShutdownTimeout is how long Close lets deliveries in flight finish
// when Options.ShutdownTimeout is not set.
const DefaultShutdownTimeout = 10 * time.Second

// Options are what a caller of Start sets beyond the environment's Config.
type Options struct {
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// ShutdownTimeout bounds how long Close waits for the admin API's
	// requests and the deliveries in flight to finish; then the attempts
	// still running are cut off and their deliveries stay pending, re-armed
	// at the next start. Defaults to DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
}

// System is a running Herald.
type System struct {
	// Addr is the address the admin API listens on.
	Addr string
	// IngestStats and DeliverStats count the messages each consumer saw.
	IngestStats, DeliverStats consume.Stats
	// Metrics are the system's metrics, served by the admin API at GET
	// /metrics (without authentication; the admin API listens on
	// 127.0.0.1 by default).
	Metrics *metrics.Metrics

	res *config.Resources
	log *slog.Logger
	// preclaims are the first attempts ingest claims for deliver (see
	// store.Preclaims); Close undoes those no job took.
	preclaims *store.Preclaims
	// now is Options.Now, the clock of the functions' writes.
	now func() time.Time
	// shutdownTimeout is Options.ShutdownTimeout; closing abort cuts off
	// the deliveries still in flight when it has passed.
	shutdownTimeout time.Duration
	abort           chan struct{}
	// Shutdown runs in two phases: first everything but ingest (which may
	// still receive Herald's own events from deliver), then ingest, which
	// drains its in-memory topic before it stops.
	cancel, cancelIngest context.CancelFunc
	wg, ingestWG         sync.WaitGroup
	errc                 chan error
	server               *http.Server
	once                 sync.Once
	err                  error
}

// Start opens the resources of cfg, re-arms pending deliveries, and starts
// every function. Stop it with Close.
func Start(ctx context.Context, cfg config.Config, opt Options) (*System, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.OwnEventsTopic != "" || cfg.OwnEventsSubscription != "" {
		// One process publishes every own event in-process; upstream
		// systems reach it only over HTTP, which refuses reserved types.
		return nil, errors.New("HERALD_OWN_EVENTS_TOPIC and HERALD_OWN_EVENTS_SUBSCRIPTION are for separate functions, not local mode")
	}
	var err error
	if cfg.DataDir != "" {
		// The snapshot holds signing secrets: only the owner may read it.
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("restrict data dir: %w", err)
		}
	}
	if cfg.SecretsKeeper == "" {
		if cfg.SecretsKeeper, err = keeperURL(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	if cfg.TokenSigningKey == "" {
		if cfg.TokenSigningKey, err = tokenSigningKey(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	res, err := cfg.Open(ctx, config.Everything)
	if err != nil {
		return nil, err
	}
	if cfg.DataDir != "" {
		// bbolt syncs its files, not the directory entries that name them:
		// sync the data dir (and its parent, which names it) once they all
		// exist, so a power loss right after the first start cannot lose
		// them.
		for _, dir := range []string{cfg.DataDir, filepath.Dir(filepath.Clean(cfg.DataDir))} {
			if err := syncDir(dir); err != nil {
				_ = res.Close(ctx)
				return nil, fmt.Errorf("sync %s: %w", dir, err)
			}
		}
	}
	for c, u := range map[*docstore.Collection]string{res.Webhooks: cfg.WebhooksCollection,
		res.Events: cfg.EventsCollection, res.Deliveries: cfg.DeliveriesCollection, res.Schedule: cfg.ScheduleCollection,
		res.Applications: cfg.ApplicationsCollection} {
		if !strings.HasPrefix(u, "mem://") {
			continue // only memdocstore's snapshot restarts the revision counter
		}
		if err := renumberRevisions(ctx, c); err != nil {
			_ = res.Close(ctx)
			return nil, err
		}
	}
	// Documents written before a field was indexed get it, once.
	if n, err := store.Backfill(ctx, store.Collections{Webhooks: res.Webhooks, Events: res.Events, Deliveries: res.Deliveries,
		Schedule: res.Schedule, Applications: res.Applications}, cfg.Retention); err != nil {
		_ = res.Close(ctx)
		return nil, err
	} else if n > 0 {
		opt.Logger.Info("backfilled indexed fields of documents written by an earlier version", "documents", n)
	}
	s := &System{res: res, log: opt.Logger, errc: make(chan error, 8), Metrics: metrics.New(metrics.Config{}),
		shutdownTimeout: opt.ShutdownTimeout, abort: make(chan struct{}), now: opt.Now}
	fns, err := s.build(cfg, opt)
	if err != nil {
		_ = res.Close(ctx)
		return nil, err
	}
	// One process owns the data dir: every attempt lease found at start is
	// a previous process's, killed or cut off by its shutdown deadline.
	if n, err := fns.scheduler.RecoverIgnoringLeases(ctx); err != nil {
		_ = res.Close(ctx)
		return nil, fmt.Errorf("re-arm pending deliveries: %w", err)
	} else if n > 0 {
		s.log.Info("re-armed pending deliveries", "count", n)
	}
	ln, err := adminfn.Listen(cfg.Addr, cfg)
	if err != nil {
		_ = res.Close(ctx)
		return nil, err
	}
	s.Addr = ln.Addr().String()
	s.server = adminfn.NewServer(fns.admin, cfg)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	ingestCtx, cancelIngest := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel, s.cancelIngest = cancel, cancelIngest
	s.goRun(runCtx, &s.wg, "admin", func(context.Context) error {
		if err := s.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	s.goRun(ingestCtx, &s.ingestWG, "ingest", func(ctx context.Context) error {
		return receive(ctx, res.IngestSub, cfg.IngestSubscription, fns.ingest.Handle, consume.Config{
			Concurrency: cfg.IngestConcurrency, Stats: &s.IngestStats, Logger: s.log.With("function", "ingest"),
			Metrics: s.Metrics, Function: "ingest", DrainIdle: drainIdle(res.IngestSub)})
	})
	s.goRun(runCtx, &s.wg, "deliver", func(ctx context.Context) error {
		return receive(ctx, res.DeliverSub, cfg.DeliverSubscription, fns.deliver.Handle, consume.Config{
			Concurrency: deliverfn.Jobs(cfg), Timeout: cfg.DeliveryTimeout + 30*time.Second,
			Abort: s.abort, Stats: &s.DeliverStats, Logger: s.log.With("function", "deliver"),
			Metrics: s.Metrics, Function: "deliver"})
	})
	s.goRun(runCtx, &s.wg, "retry-scheduler", fns.scheduler.Run)
	s.goRun(runCtx, &s.wg, "expiry-notifier", fns.expiry.Run)
	return s, nil
}

// functions are the five domain handlers of one system.
type functions struct {
	admin     *admin.API
	ingest    *ingest.Handler
	deliver   *deliver.Handler
	scheduler *schedule.Scheduler
	expiry    *expiry.Notifier
}

func (s *System) build(cfg config.Config, opt Options) (*functions, error) {
	var f functions
	var err error
	env := function.Env{Config: cfg, Res: s.res, Logger: s.log, Now: opt.Now, Metrics: s.Metrics}
	function.LocalCaches(&env)
	s.preclaims = env.Preclaims
	// The data dir's store is this process's alone (bolt:// locks its
	// file): leases found in it are a previous process's.
	env.SoleOwner = true
	if f.scheduler, err = schedulerfn.Build(env); err != nil {
		return nil, err
	}
	// One process: the scheduler hears of every table entry as it is written.
	env.OnSchedule = f.scheduler.Wake
	if f.ingest, err = ingestfn.Build(env); err != nil {
		return nil, err
	}
	if f.deliver, err = deliverfn.Build(env); err != nil {
		return nil, err
	}
	if f.expiry, err = expiryfn.Build(env); err != nil {
		return nil, err
	}
	if f.admin, err = adminfn.Build(env); err != nil {
		return nil, err
	}
	return &f, nil
}

// goRun runs one function; its error, if any, ends the whole system.
func (s *System) goRun(ctx context.Context, wg *sync.WaitGroup, name string, run func(context.Context) error) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := run(ctx); err != nil {
			s.errc <- fmt.Errorf("%s: %w", name, err)
		}
	}()
}

// Wait blocks until ctx is done or a function fails, then closes the system.
// It returns the failure, if any.
func (s *System) Wait(ctx context.Context) error {
	var failed error
	select {
	case <-ctx.Done():
	case failed = <-s.errc:
		s.log.Error("function failed; shutting down", "error", failed)
	}
	return errors.Join(failed, s.Close())
}

// drainIdle returns how long ingest waits for one more message while it
// drains sub at shutdown. A waiting memq receiver gets a message the moment
// it is sent; mempubsub polls every 250 ms when idle.
func drainIdle(sub *pubsub.Subscription) time.Duration {
	var q *memq.Subscription
	if sub.As(&q) {
		return 50 * time.Millisecond
	}
	return 500 * time.Millisecond
}

// Close stops intake, lets messages in hand finish within the shutdown
// timeout, stops every function and closes the resources, which writes the
// mem:// snapshots. The admin API stops first (its requests in flight get
// until the deadline), then deliver, the scheduler and the expiry-notifier:
// deliver stops receiving and its attempts in flight get what is left of
// the deadline; those still running then are cut off, which leaves their
// deliveries pending, re-armed at the next start. Ingest stops last, after
// draining what is left on its in-memory topic (accepted events, Herald's
// own events), so nothing accepted is lost. Deliver jobs left on the
// in-memory deliver topic are not lost either: their deliveries are pending
// in the store and re-armed at the next start.
func (s *System) Close() error {
	s.once.Do(func() {
		s.log.Info("shutting down", "timeout", s.shutdownTimeout.String())
		deadline := time.Now().Add(s.shutdownTimeout)
		cutOff := time.AfterFunc(s.shutdownTimeout, func() { close(s.abort) })
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		defer cancel()
		if err := s.server.Shutdown(ctx); err != nil {
			s.log.Warn("admin requests cut off at the shutdown deadline", "error", err)
			_ = s.server.Close()
		}
		s.cancel()
		s.wg.Wait()
		if !cutOff.Stop() {
			s.log.Warn("shutdown deadline passed: deliveries still in flight were cut off; they stay pending")
		}
		// Deliver has stopped: what ingest creates while it drains is
		// written unclaimed, and the preclaims no job took are undone, so
		// the next start sends those attempts as the first they are, not
		// as attempts after an interrupted one.
		s.preclaims.Close()
		s.cancelIngest()
		s.ingestWG.Wait()
		closeCtx, cancelClose := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancelClose()
		s.err = errors.Join(s.undoPreclaims(closeCtx), s.res.Close(closeCtx))
	})
	return s.err
}

// undoPreclaims writes the deliveries whose preclaim no job took pending
// and unclaimed (see store.Lifecycle.Unclaim).
func (s *System) undoPreclaims(ctx context.Context) error {
	life := store.Lifecycle{Deliveries: s.res.Deliveries}
	n := 0
	for _, d := range s.preclaims.TakeAll() {
		undone, err := life.Unclaim(ctx, d, s.now())
		if err != nil {
			return err
		}
		if undone {
			n++
		}
	}
	if n > 0 {
		s.log.Info("first attempts claimed but not taken by deliver left unclaimed for the next start", "count", n)
	}
	return nil
}

// receive runs consume.Run on sub, opening it again from url when it fails
// for good (consume.RunReopening) — except memq:// and mem://
// subscriptions, which live in this process and do not fail that way.
func receive(ctx context.Context, sub *pubsub.Subscription, url string, h consume.Handler, cfg consume.Config) error {
	if strings.HasPrefix(url, "memq://") || strings.HasPrefix(url, "mem://") {
		return consume.Run(ctx, sub, h, cfg)
	}
	return consume.RunReopening(ctx, sub, function.Reopen(url), h, cfg)
}
