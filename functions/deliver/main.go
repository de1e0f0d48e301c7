// Command deliver runs Herald's deliver function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). The Lambda adapter arrives with the AWS deployment.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

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
		fmt.Fprintln(os.Stderr, "deliver:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.FromEnv(os.Getenv, false)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, "deliver")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := cfg.Open(ctx, config.Subscriptions{Deliver: true})
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	env := wire.Env{Config: cfg, Res: res, Logger: log}
	h, err := wire.Deliver(env)
	if err != nil {
		return err
	}
	log.Info("deliver is running")
	return consume.Run(ctx, res.DeliverSub, h.Handle, consume.Config{
		Concurrency: cfg.DeliverConcurrency, Timeout: cfg.DeliveryTimeout + 30*time.Second, Logger: log})
}
