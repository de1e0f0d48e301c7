// Command ingest runs Herald's ingest function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). The Lambda adapter arrives with the AWS deployment.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	_ "gocloud.dev/docstore/awsdynamodb/v2" // dynamodb:// collections
	_ "gocloud.dev/docstore/memdocstore"    // mem:// collections
	_ "gocloud.dev/pubsub/awssnssqs"        // awssns:// and awssqs:// topics
	_ "gocloud.dev/pubsub/mempubsub"        // mem:// topics

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/logging"
	"github.com/heraldhq/herald/pkg/wire"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.FromEnv(os.Getenv, false)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, "ingest")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := cfg.Open(ctx, config.Subscriptions{Ingest: true})
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	env := wire.Env{Config: cfg, Res: res, Logger: log}
	h, err := wire.Ingest(env)
	if err != nil {
		return err
	}
	log.Info("ingest is running")
	return consume.Run(ctx, res.IngestSub, h.Handle, consume.Config{
		Concurrency: cfg.IngestConcurrency, Logger: log})
}
