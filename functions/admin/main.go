// Command admin runs Herald's admin function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). The Lambda adapter arrives with the AWS deployment.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

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
		fmt.Fprintln(os.Stderr, "admin:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.FromEnv(os.Getenv, false)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, "admin")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := cfg.Open(ctx, config.Subscriptions{})
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	env := wire.Env{Config: cfg, Res: res, Logger: log}
	if cfg.AdminToken == "" {
		return errors.New("HERALD_ADMIN_TOKEN is required")
	}
	api, err := wire.Admin(env)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: api, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("admin is listening", "addr", cfg.Addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
