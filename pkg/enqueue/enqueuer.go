package enqueue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// Config configures an Enqueuer.
type Config struct {
	// Topic is the deliver topic. Required.
	Topic *pubsub.Topic
	// Table is the schedule collection (the due-time table). Required.
	Table *docstore.Collection
	// Delayer is Topic's native delay. Defaults to none: every job not due
	// yet goes through the table.
	Delayer Delayer
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// OnSchedule, when set, is told the due time of every entry written to
	// the table. Local mode points it at the retry-scheduler's Wake, so the
	// scheduler in the same process wakes on time instead of at its next
	// re-read.
	OnSchedule func(due time.Time)
}

// Enqueuer publishes deliver jobs now or later (a store.Enqueuer). It is
// safe for concurrent use.
type Enqueuer struct {
	cfg Config
}

// New returns an Enqueuer for cfg.
func New(cfg Config) (*Enqueuer, error) {
	if cfg.Topic == nil || cfg.Table == nil {
		return nil, errors.New("enqueue: Topic and Table are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Enqueuer{cfg: cfg}, nil
}

// Enqueue arranges for job to be received on the deliver topic at due: at once
// when due has passed, with a native message delay when the topic has one
// long enough, and through the due-time table otherwise.
func (e *Enqueuer) Enqueue(ctx context.Context, job herald.Job, due time.Time) error {
	delay := due.Sub(e.cfg.Now())
	if delay <= 0 || delay <= e.cfg.Delayer.Max {
		if err := e.cfg.Delayer.Send(ctx, e.cfg.Topic, job.Encode(), delay); err != nil {
			return fmt.Errorf("publish deliver job: %w", err)
		}
		return nil
	}
	if err := e.cfg.Table.Put(ctx, store.NewEntry(job, herald.Millis(due))); err != nil {
		return fmt.Errorf("write schedule entry: %w", err)
	}
	if e.cfg.OnSchedule != nil {
		e.cfg.OnSchedule(due)
	}
	return nil
}
