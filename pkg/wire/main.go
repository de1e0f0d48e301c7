package wire

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/logging"
)

// Main is the body of a functions/<name> binary: it reads the configuration
// from the environment, opens the resources (with the subscriptions asked
// for), and calls run with a context that ends on SIGINT or SIGTERM. It exits
// the process with status 1 when anything fails.
func Main(name string, subs config.Subscriptions, run func(ctx context.Context, env Env) error) {
	if err := mainErr(name, subs, run); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func mainErr(name string, subs config.Subscriptions, run func(context.Context, Env) error) error {
	cfg, err := config.FromEnv(os.Getenv, false)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, name)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := cfg.Open(ctx, subs)
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	log.Info(name + " is running")
	return run(ctx, Env{Config: cfg, Res: res, Logger: log})
}
