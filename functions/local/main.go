// Command local runs all five Herald functions in one process on embedded
// drivers (memq:// topics, mem:// collections): the admin API on HERALD_ADDR
// (default 127.0.0.1:8080), state snapshotted to HERALD_DATA_DIR on a clean
// shutdown. SIGINT or SIGTERM stops intake and gives the deliveries in flight
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
	"time"

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
	shutdown, err := shutdownTimeout(os.Getenv("HERALD_SHUTDOWN_TIMEOUT"))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the default behaviour is back: a second one
	// ends the process without waiting for the shutdown.
	context.AfterFunc(ctx, stop)
	sys, err := local.Start(ctx, cfg, local.Options{Logger: log, ShutdownTimeout: shutdown})
	if err != nil {
		return err
	}
	log.Info("herald is ready", slog.String("admin", "http://"+sys.Addr), slog.String("data_dir", cfg.DataDir))
	err = sys.Wait(ctx)
	log.Info("herald stopped")
	return err
}

// shutdownTimeout parses HERALD_SHUTDOWN_TIMEOUT; unset means local's default.
// TODO(lead): move it into pkg/config (config.Vars, so the README table
// lists it) and read cfg.ShutdownTimeout here.
func shutdownTimeout(v string) (time.Duration, error) {
	if v == "" {
		return local.DefaultShutdownTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("HERALD_SHUTDOWN_TIMEOUT=%q: want a positive Go duration like 10s", v)
	}
	return d, nil
}
