// Command local runs all five Herald functions in one process on embedded
// drivers: the admin API on HERALD_ADDR (default 127.0.0.1:8080), its state
// in HERALD_DATA_DIR — bolt:// collections in herald.db, written to disk
// before each write returns, and the ingest topic's memq:// journal in
// queue.db — so neither a crash nor kill -9 loses an accepted event. SIGINT or SIGTERM stops intake and gives the deliveries in flight
// HERALD_SHUTDOWN_TIMEOUT (default 10s) to finish; those cut off stay pending
// for the next start. A second signal exits at once.
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

	_ "github.com/heraldhq/herald/pkg/boltdoc" // bolt:// collections, local mode's default
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/heapfloor"
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
	cfg, err := config.FromEnv(os.Getenv, config.Local)
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
	// After the first signal the default behaviour is back: a second one
	// ends the process without waiting for the shutdown.
	context.AfterFunc(ctx, stop)
	defer heapfloor.Start(uint64(cfg.HeapFloorMiB) << 20).Stop()
	sys, err := local.Start(ctx, cfg, local.Options{Logger: log, ShutdownTimeout: cfg.ShutdownTimeout})
	if err != nil {
		return err
	}
	log.Info("herald is ready", slog.String("admin", "http://"+sys.Addr), slog.String("data_dir", cfg.DataDir))
	err = sys.Wait(ctx)
	log.Info("herald stopped")
	return err
}
