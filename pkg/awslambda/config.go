package awslambda

import (
	"io"
	"log/slog"
	"os"

	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/metrics"
)

// Config configures the SQS and Schedule adapters.
type Config struct {
	// Function names the function in metrics ("ingest", "deliver",
	// "retry-scheduler", "expiry-notifier"). Required with Metrics.
	Function string
	// Stats, when set, counts what happened to each SQS record.
	Stats *consume.Stats
	// Metrics, when set, records each SQS record's outcome and handler
	// time, or each scheduled run, and is flushed to EMF after every
	// invocation. Build it with metrics.Config{EMF: true} to have latencies
	// in the lines too. Defaults to nil: no metrics.
	Metrics *metrics.Metrics
	// EMF receives one CloudWatch embedded metric format line after each
	// invocation. Defaults to os.Stdout, which Lambda sends to CloudWatch
	// Logs, where the metrics are extracted.
	EMF io.Writer
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

func (c *Config) defaults() {
	if c.Stats == nil {
		c.Stats = new(consume.Stats)
	}
	if c.EMF == nil {
		c.EMF = os.Stdout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// flush writes the invocation's metrics; a failure to is logged, never
// fails the invocation.
func (c *Config) flush() {
	if err := c.Metrics.FlushEMF(c.EMF, c.Function); err != nil {
		c.Logger.Warn("metrics not written", "error", err)
	}
}
