package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// EnqueuerConfig configures an Enqueuer.
type EnqueuerConfig struct {
	// Topic is the deliver topic. Required.
	Topic *pubsub.Topic
	// Table is the schedule collection (the due-time table). Required.
	Table *docstore.Collection
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// OnSchedule, when set, is told the due time of every entry written to
	// the table. Local mode points it at Scheduler.Wake, so the scheduler in
	// the same process wakes on time instead of at its next re-read.
	OnSchedule func(due time.Time)
}

// Enqueuer publishes deliver jobs now or later. It is safe for concurrent use.
type Enqueuer struct {
	cfg      EnqueuerConfig
	maxDelay time.Duration
}

// NewEnqueuer returns an Enqueuer for cfg.
func NewEnqueuer(cfg EnqueuerConfig) (*Enqueuer, error) {
	if cfg.Topic == nil || cfg.Table == nil {
		return nil, errors.New("schedule: Topic and Table are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Enqueuer{cfg: cfg, maxDelay: NativeMaxDelay(cfg.Topic)}, nil
}

// Enqueue arranges for job to be received on the deliver topic at due: at once
// when due has passed, with a native message delay when the topic has one
// long enough, and through the due-time table otherwise.
func (e *Enqueuer) Enqueue(ctx context.Context, job herald.Job, due time.Time) error {
	delay := due.Sub(e.cfg.Now())
	if delay <= 0 || delay <= e.maxDelay {
		if err := publishDelayed(ctx, e.cfg.Topic, job.Encode(), delay); err != nil {
			return fmt.Errorf("publish deliver job: %w", err)
		}
		return nil
	}
	if err := e.cfg.Table.Put(ctx, newEntry(job, herald.Millis(due))); err != nil {
		return fmt.Errorf("write schedule entry: %w", err)
	}
	if e.cfg.OnSchedule != nil {
		e.cfg.OnSchedule(due)
	}
	return nil
}
