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
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// Config configures a Scheduler.
type Config struct {
	// Topic is the deliver topic. Required.
	Topic *pubsub.Topic
	// Delayer is Topic's native delay, the same the enqueuer is given: due
	// entries are published that far ahead with the remaining delay.
	// Defaults to none.
	Delayer enqueue.Delayer
	// Table is the schedule collection. Required.
	Table *docstore.Collection
	// Deliveries is the deliveries collection, swept for lost jobs. Required.
	Deliveries *docstore.Collection
	// Preclaims, when set, are the first attempts ingest of the same
	// process claimed for deliver (see store.Preclaims): an overdue
	// delivery whose preclaim no job took was never attempted, and is
	// re-armed unclaimed, for its first attempt. Defaults to nil.
	Preclaims *store.Preclaims
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
	// RecoveryInterval is how long after one pass of a webhook's recovery
	// (see store.Recovery) the next is due: each pass releases as many of
	// its failed deliveries as those still in flight leave room for.
	// Defaults to 1s.
	RecoveryInterval time.Duration
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Scheduler publishes due entries of the due-time table and sweeps for lost
// deliver jobs.
type Scheduler struct {
	cfg      Config
	maxDelay time.Duration
	life     store.Lifecycle

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
	cfg.MaxSleep = herald.PositiveOr(cfg.MaxSleep, 30*time.Second)
	cfg.SweepInterval = herald.PositiveOr(cfg.SweepInterval, time.Minute)
	cfg.SweepGrace = herald.PositiveOr(cfg.SweepGrace, time.Minute)
	cfg.RecoveryInterval = herald.PositiveOr(cfg.RecoveryInterval, time.Second)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Scheduler{cfg: cfg, maxDelay: cfg.Delayer.Max, life: store.Lifecycle{Deliveries: cfg.Deliveries, Preclaims: cfg.Preclaims},
		wake: make(chan struct{}, 1)}, nil
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
// delay — and deletes it, in due order; a recovery's record (see
// store.Recovery) that is due gets its next pass instead. It returns the due
// time of the earliest entry left that falls due within MaxSleep (zero when
// none: the long-running loop reads the table again by then anyway) and how
// many it published.
func (s *Scheduler) PublishDue(ctx context.Context) (next time.Time, published int, err error) {
	now := s.cfg.Now()
	published, recovery, err := s.publishDue(ctx, now)
	if err != nil {
		return time.Time{}, published, err
	}
	if next, err = s.nextDue(ctx, now.Add(s.maxDelay), now.Add(s.cfg.MaxSleep)); err != nil {
		return time.Time{}, published, err
	}
	if recovery != 0 && (next.IsZero() || recovery < herald.Millis(next)) {
		next = herald.FromMillis(recovery)
	}
	return next, published, nil
}

// publishDue publishes and deletes the entries due by now plus the native
// delay, merging the shards of the due-time index in due order, and runs
// the passes of the recoveries due by now. It returns how many jobs it
// published and the due time of the earliest next pass of a recovery it
// read (0 when none).
func (s *Scheduler) publishDue(ctx context.Context, now time.Time) (published int, recovery int64, err error) {
	horizon := herald.Millis(now.Add(s.maxDelay))
	due, err := openShards(ctx, func(shard int) *docstore.DocumentIterator {
		return store.DueEntries(s.cfg.Table, shard, horizon).Get(ctx, store.EntryFields...)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("query schedule: %w", err)
	}
	defer due.stop()
	for {
		ent, err := due.next(ctx)
		if err != nil {
			return published, recovery, fmt.Errorf("query schedule: %w", err)
		}
		if ent == nil {
			return published, recovery, nil
		}
		if ent.IsRecovery() {
			dueMS := ent.DueMS
			if dueMS <= herald.Millis(now) {
				// A failed pass is tried again when the record next
				// falls due; it holds up no deliver job.
				var err error
				if dueMS, err = s.runRecovery(ctx, ent, now); err != nil && ctx.Err() == nil {
					s.cfg.Logger.Error("recovery pass", "recovery", ent.ID, "error", err)
				}
			}
			if dueMS != 0 && (recovery == 0 || dueMS < recovery) {
				recovery = dueMS
			}
			continue
		}
		delay := herald.FromMillis(ent.DueMS).Sub(now)
		if err := s.cfg.Delayer.Send(ctx, s.cfg.Topic, ent.Job().Encode(), delay); err != nil {
			return published, recovery, fmt.Errorf("publish scheduled job: %w", err)
		}
		// Publish first, then delete: a crash in between republishes the
		// job, which the deliver function recognises as a duplicate. The
		// delete checks the revision, so an entry rescheduled meanwhile
		// (a conflict) stays for its new due time.
		if err := s.cfg.Table.Delete(ctx, ent); err != nil && !store.NotFound(err) && !store.Conflict(err) {
			return published, recovery, fmt.Errorf("delete schedule entry: %w", err)
		}
		published++
	}
}

// nextDue returns the due time of the earliest entry due after published
// and by until, zero when there is none. Entries due by published were just
// published, so only a topic without native delays (whose horizon is now)
// has anything to look for.
func (s *Scheduler) nextDue(ctx context.Context, published, until time.Time) (time.Time, error) {
	if !until.After(published) {
		return time.Time{}, nil
	}
	var next int64
	for shard := 1; shard <= herald.Shards; shard++ {
		iter := store.DueEntries(s.cfg.Table, shard, herald.Millis(until)).Limit(1).Get(ctx, store.EntryFields...)
		var ent store.Entry
		err := iter.Next(ctx, &ent)
		iter.Stop()
		switch {
		case err == io.EOF:
		case err != nil:
			return time.Time{}, fmt.Errorf("query next schedule entry: %w", err)
		case next == 0 || ent.DueMS < next:
			next = ent.DueMS
		}
	}
	return herald.FromMillis(next), nil
}
