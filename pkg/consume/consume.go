// Package consume is the long-running adapter for queue-fed functions: it
// receives from a gocloud subscription and hands each message body to a domain
// handler, acknowledging or leaving the message for redelivery by what the
// handler returns.
package consume

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
)

// Handler processes one message body. It returns nil when the message is done,
// a *herald.MalformedError when it can never be processed, and any other error
// when it failed for a reason that may pass (the message is then redelivered).
type Handler func(ctx context.Context, body []byte) error

// Config configures Run.
type Config struct {
	// Concurrency is how many messages are handled at once. Defaults to 16.
	Concurrency int
	// Timeout bounds one handler call. Defaults to 1m.
	Timeout time.Duration
	// DrainIdle, when set, makes Run keep receiving after ctx is done until
	// no message arrives for DrainIdle: for an in-memory topic that dies
	// with the process. Defaults to 0: stop receiving at once.
	DrainIdle time.Duration
	// Abort, when closed, cancels the context of every message in hand. Once
	// ctx is done Run waits for those messages to finish; closing Abort cuts
	// that wait short (a shutdown deadline): their handlers see their
	// context cancelled, and what they return leaves the messages for
	// redelivery. Defaults to nil: each message gets its full Timeout.
	Abort <-chan struct{}
	// Stats, when set, counts what happened to each message.
	Stats *Stats
	// Metrics, when set, counts each message by outcome and records how
	// long its handler took, labelled with Function. Defaults to nil: none.
	Metrics *metrics.Metrics
	// Function names the function in Metrics ("ingest", "deliver").
	// Required with Metrics.
	Function string
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// Stats counts messages by outcome. Read the fields with Load.
type Stats struct {
	Received  atomic.Int64
	Done      atomic.Int64 // handled and acknowledged
	Malformed atomic.Int64 // acknowledged without processing
	Failed    atomic.Int64 // left for redelivery
}

// Run receives from sub until ctx is done, then waits for the messages in hand
// to finish (or for cfg.Abort to cut them off) and returns nil. It returns an
// error only when the subscription fails for good.
//
// A malformed message is acknowledged, logged and counted: it is never
// redelivered forever and never stops the function. A failed one is not
// acknowledged, so the queue redelivers it after its ack deadline (an SQS
// visibility timeout); Run does not nack, which on most drivers would
// redeliver at once and spin on a persistent failure. Only a message cut off
// by Abort is nacked, as Run no longer receives.
func Run(ctx context.Context, sub *pubsub.Subscription, h Handler, cfg Config) error {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Stats == nil {
		cfg.Stats = new(Stats)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log := cfg.Logger
	// Handlers run on a context detached from ctx, so a shutdown lets the
	// messages in hand finish instead of abandoning them half done; only
	// Abort cancels it.
	handlerCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	defer abort()
	if cfg.Abort != nil {
		go func() {
			select {
			case <-cfg.Abort:
				abort()
			case <-handlerCtx.Done():
			}
		}()
	}
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait() // before abort(): the watcher stays up while handlers finish
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			if cfg.DrainIdle <= 0 {
				return nil
			}
			sem <- struct{}{}
		}
		recvCtx, cancel := ctx, context.CancelFunc(func() {})
		draining := ctx.Err() != nil
		if draining {
			// Wait a little for each further message.
			recvCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), cfg.DrainIdle)
		}
		msg, err := sub.Receive(recvCtx)
		cancel()
		if err != nil {
			<-sem
			switch {
			case ctx.Err() == nil:
				return err
			case cfg.DrainIdle > 0 && !draining:
				continue // cancelled while waiting: now drain
			}
			return nil
		}
		cfg.Stats.Received.Add(1)
		cfg.Metrics.MessageReceived(cfg.Function)
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			handle(handlerCtx, msg, h, cfg, log)
		}()
	}
}

// handle runs one message on base, within Timeout. A message cut off by
// Abort (base cancelled) is nacked where the driver can, handing it back at
// once: Run is no longer receiving.
func handle(base context.Context, msg *pubsub.Message, h Handler, cfg Config, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(base, cfg.Timeout)
	defer cancel()
	start := time.Now()
	err := h(WithMetadata(ctx, msg.Metadata), msg.Body)
	outcome := Outcome(err)
	cfg.Stats.Count(outcome)
	cfg.Metrics.MessageHandled(cfg.Function, outcome, time.Since(start))
	switch outcome {
	case metrics.Done:
		msg.Ack()
	case metrics.Malformed:
		log.Warn("dropped malformed message", "error", err, "bytes", len(msg.Body))
		msg.Ack()
	default:
		if base.Err() != nil && msg.Nackable() {
			msg.Nack()
		}
		if errors.Is(err, context.Canceled) {
			log.Info("message left for redelivery", "error", err)
		} else {
			log.Error("message failed, left for redelivery", "error", err)
		}
	}
}

// Outcome classifies what a handler returned: metrics.Done for nil,
// metrics.Malformed for a *herald.MalformedError, metrics.Failed for any
// other error.
func Outcome(err error) string {
	switch {
	case err == nil:
		return metrics.Done
	case herald.IsMalformed(err):
		return metrics.Malformed
	}
	return metrics.Failed
}

// Count adds one message with outcome (see Outcome) to s.
func (s *Stats) Count(outcome string) {
	switch outcome {
	case metrics.Done:
		s.Done.Add(1)
	case metrics.Malformed:
		s.Malformed.Add(1)
	default:
		s.Failed.Add(1)
	}
}
