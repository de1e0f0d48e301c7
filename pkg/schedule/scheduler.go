package schedule

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
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// Config configures a Scheduler.
type Config struct {
	// Topic is the deliver topic. Required.
	Topic *pubsub.Topic
	// Table is the schedule collection. Required.
	Table *docstore.Collection
	// Deliveries is the deliveries collection, swept for lost jobs. Required.
	Deliveries *docstore.Collection
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// MaxSleep is the longest the long-running loop sleeps before reading the
	// table again, to see entries written by other processes. Defaults to 30s.
	MaxSleep time.Duration
	// SweepInterval is how often Run sweeps for lost jobs. Defaults to 1m.
	SweepInterval time.Duration
	// SweepGrace is how long a pending delivery may be overdue, with no
	// attempt in flight, before the sweep publishes its job again.
	// Defaults to 1m.
	SweepGrace time.Duration
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Scheduler publishes due entries of the due-time table and sweeps for lost
// deliver jobs.
type Scheduler struct {
	cfg      Config
	maxDelay time.Duration

	mu   sync.Mutex
	hint time.Time // earliest due time told to Wake since the last pass
	wake chan struct{}
}

// New returns a Scheduler for cfg.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Topic == nil || cfg.Table == nil || cfg.Deliveries == nil {
		return nil, errors.New("schedule: Topic, Table and Deliveries are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSleep <= 0 {
		cfg.MaxSleep = 30 * time.Second
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = time.Minute
	}
	if cfg.SweepGrace <= 0 {
		cfg.SweepGrace = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Scheduler{cfg: cfg, maxDelay: NativeMaxDelay(cfg.Topic), wake: make(chan struct{}, 1)}, nil
}

// Wake tells the scheduler that an entry falls due at due. It never blocks.
func (s *Scheduler) Wake(due time.Time) {
	s.mu.Lock()
	if s.hint.IsZero() || due.Before(s.hint) {
		s.hint = due
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// PublishDue publishes every table entry that is due — or, on a topic with
// native delays, due within the longest delay, published with the remaining
// delay — and deletes it. It returns the due time of the earliest entry left
// (zero when none) and how many it published.
func (s *Scheduler) PublishDue(ctx context.Context) (next time.Time, published int, err error) {
	now := s.cfg.Now()
	horizon := now.Add(s.maxDelay)
	iter := s.cfg.Table.Query().
		Where("queue", "=", deliverQueue).
		Where("due_ms", "<=", herald.Millis(horizon)).
		OrderBy("due_ms", docstore.Ascending).
		Get(ctx)
	defer iter.Stop()
	for {
		var ent entry
		err := iter.Next(ctx, &ent)
		if err == io.EOF {
			break
		}
		if err != nil {
			return time.Time{}, published, fmt.Errorf("query schedule: %w", err)
		}
		delay := herald.FromMillis(ent.DueMS).Sub(now)
		if err := publishDelayed(ctx, s.cfg.Topic, ent.job().Encode(), delay); err != nil {
			return time.Time{}, published, fmt.Errorf("publish scheduled job: %w", err)
		}
		// Publish first, then delete: a crash in between republishes the
		// job, which the deliver function recognises as a duplicate. The
		// delete checks the revision, so an entry rescheduled meanwhile
		// (FailedPrecondition) stays for its new due time.
		switch err := s.cfg.Table.Delete(ctx, &ent); gcerrors.Code(err) {
		case gcerrors.OK, gcerrors.NotFound, gcerrors.FailedPrecondition:
		default:
			return time.Time{}, published, fmt.Errorf("delete schedule entry: %w", err)
		}
		published++
	}
	next, err = s.nextDue(ctx)
	return next, published, err
}

// nextDue returns the due time of the earliest entry in the table.
func (s *Scheduler) nextDue(ctx context.Context) (time.Time, error) {
	iter := s.cfg.Table.Query().
		Where("queue", "=", deliverQueue).
		Where("due_ms", ">", int64(0)).
		OrderBy("due_ms", docstore.Ascending).
		Limit(1).
		Get(ctx, "due_ms")
	defer iter.Stop()
	var ent entry
	switch err := iter.Next(ctx, &ent); {
	case err == io.EOF:
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("query next schedule entry: %w", err)
	}
	return herald.FromMillis(ent.DueMS), nil
}
