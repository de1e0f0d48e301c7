// Command local runs all five Herald functions in one process on embedded
// drivers (memq:// topics, mem:// collections): the admin API on HERALD_ADDR
// (default 127.0.0.1:8080), state snapshotted to HERALD_DATA_DIR on a clean
// shutdown.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	_ "gocloud.dev/docstore/memdocstore" // mem:// collections
	_ "gocloud.dev/pubsub/mempubsub"     // mem:// topics
	_ "gocloud.dev/secrets/awskms"       // awskms:// keepers
	_ "gocloud.dev/secrets/localsecrets" // base64key:// keepers

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/local"
	"github.com/heraldhq/herald/pkg/logging"
	_ "github.com/heraldhq/herald/pkg/memq" // memq:// topics, local mode's default
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "herald:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.FromEnv(os.Getenv, true)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, "")
	if cfg.AdminToken == "" {
		cfg.AdminToken = rand.Text()
		fmt.Printf("HERALD_ADMIN_TOKEN was not set; this run's admin token is:\n\n    %s\n\n", cfg.AdminToken)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sys, err := local.Start(ctx, cfg, local.Options{Logger: log})
	if err != nil {
		return err
	}
	log.Info("herald is ready", slog.String("admin", "http://"+sys.Addr), slog.String("data_dir", cfg.DataDir))
	err = sys.Wait(ctx)
	log.Info("herald stopped")
	return err
}
