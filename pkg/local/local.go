// Package local runs all five Herald functions in one process, sharing one
// set of topics and collections (mem:// by default): the admin API, ingest,
// deliver, retry-scheduler and expiry-notifier, each in a goroutine, their
// errors collected on one channel, shut down together.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/schedule"
)

// Options are what a caller of Start sets beyond the environment's Config.
type Options struct {
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// System is a running Herald.
type System struct {
	// Addr is the address the admin API listens on.
	Addr string
	// IngestStats and DeliverStats count the messages each consumer saw.
	IngestStats, DeliverStats consume.Stats

	res    *resources
	log    *slog.Logger
	cancel context.CancelFunc
	errc   chan error
	wg     sync.WaitGroup
	server *http.Server
	once   sync.Once
	err    error
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
	if cfg.DataDir != "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	res, err := open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &System{res: res, log: opt.Logger, errc: make(chan error, 8)}
	fns, err := s.build(cfg, opt)
	if err != nil {
		res.close(ctx)
		return nil, err
	}
	if n, err := fns.scheduler.Recover(ctx); err != nil {
		res.close(ctx)
		return nil, fmt.Errorf("re-arm pending deliveries: %w", err)
	} else if n > 0 {
		s.log.Info("re-armed pending deliveries", "count", n)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		res.close(ctx)
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.Addr = ln.Addr().String()
	s.server = &http.Server{Handler: fns.admin, ReadHeaderTimeout: 10 * time.Second}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.goRun(runCtx, "admin", func(context.Context) error {
		if err := s.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	s.goRun(runCtx, "ingest", func(ctx context.Context) error {
		return consume.Run(ctx, res.ingestSub, fns.ingest.Handle, consume.Config{Name: "ingest",
			Concurrency: cfg.IngestConcurrency, Stats: &s.IngestStats, Logger: s.log})
	})
	s.goRun(runCtx, "deliver", func(ctx context.Context) error {
		return consume.Run(ctx, res.deliverSub, fns.deliver.Handle, consume.Config{Name: "deliver",
			Concurrency: cfg.DeliverConcurrency, Timeout: cfg.DeliveryTimeout + 30*time.Second,
			Stats: &s.DeliverStats, Logger: s.log})
	})
	s.goRun(runCtx, "retry-scheduler", fns.scheduler.Run)
	s.goRun(runCtx, "expiry-notifier", fns.expiry.Run)
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
	r := s.res
	var f functions
	var err error
	if f.scheduler, err = schedule.New(schedule.Config{Topic: r.deliver, Table: r.schedule,
		Deliveries: r.deliveries, Now: opt.Now, SweepGrace: cfg.SweepGrace, Logger: s.log}); err != nil {
		return nil, err
	}
	enq, err := schedule.NewEnqueuer(schedule.EnqueuerConfig{Topic: r.deliver, Table: r.schedule,
		Now: opt.Now, OnSchedule: f.scheduler.Wake})
	if err != nil {
		return nil, err
	}
	parser := envelope.New(envelope.Config{MaxBytes: cfg.MaxEventBytes, Now: opt.Now})
	if f.ingest, err = ingest.New(ingest.Config{Webhooks: r.webhooks, Events: r.events,
		Deliveries: r.deliveries, Enqueuer: enq, Parser: parser, Now: opt.Now, Logger: s.log}); err != nil {
		return nil, err
	}
	client := deliver.NewClient(deliver.ClientConfig{Timeout: cfg.DeliveryTimeout,
		AllowPrivate: cfg.AllowPrivateTargets, MaxConnsPerHost: cfg.DeliverConcurrency})
	if f.deliver, err = deliver.New(deliver.Config{Webhooks: r.webhooks, Events: r.events,
		Deliveries: r.deliveries, Enqueuer: enq, Ingest: r.ingest, Client: client,
		HeaderPrefix: cfg.HeaderPrefix, Schedule: cfg.RetrySchedule, Timeout: cfg.DeliveryTimeout,
		Now: opt.Now, Logger: s.log}); err != nil {
		return nil, err
	}
	if f.expiry, err = expiry.New(expiry.Config{Webhooks: r.webhooks, Events: r.events,
		Deliveries: r.deliveries, Ingest: r.ingest, Retention: cfg.Retention, PauseHold: cfg.PauseHold,
		Interval: cfg.ExpiryInterval, Now: opt.Now, Logger: s.log}); err != nil {
		return nil, err
	}
	if f.admin, err = admin.New(admin.Config{Webhooks: r.webhooks, Events: r.events,
		Deliveries: r.deliveries, Ingest: r.ingest, Enqueuer: enq, AdminToken: cfg.AdminToken,
		Parser: parser, HeaderPrefix: cfg.HeaderPrefix, Schedule: cfg.RetrySchedule,
		AllowPrivateTargets: cfg.AllowPrivateTargets, Now: opt.Now, Logger: s.log}); err != nil {
		return nil, err
	}
	return &f, nil
}

// goRun runs one function; its error, if any, ends the whole system.
func (s *System) goRun(ctx context.Context, name string, run func(context.Context) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
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

// Close stops intake, lets messages in hand finish, stops every function
// and closes the resources, which writes the mem:// snapshots.
func (s *System) Close() error {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		shutdownErr := s.server.Shutdown(ctx)
		s.cancel()
		s.wg.Wait()
		s.err = errors.Join(shutdownErr, s.res.close(ctx))
	})
	return s.err
}
