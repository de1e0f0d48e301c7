// Command expiry-notifier runs Herald's expiry-notifier function as a long-running process against
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
	"github.com/heraldhq/herald/pkg/logging"
	"github.com/heraldhq/herald/pkg/wire"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "expiry-notifier:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.FromEnv(os.Getenv, false)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, "expiry-notifier")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := cfg.Open(ctx, config.Subscriptions{})
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	env := wire.Env{Config: cfg, Res: res, Logger: log}
	n, err := wire.Expiry(env)
	if err != nil {
		return err
	}
	log.Info("expiry-notifier is running")
	return n.Run(ctx)
}
