package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/logging"
	"github.com/heraldhq/herald/pkg/metrics"
)

// Main is the body of a functions/<name> binary: it reads the configuration
// from the environment, opens the resources (with the subscriptions asked
// for, except on Lambda, where the event source mapping receives), and calls run with a context that ends on SIGINT or SIGTERM. It exits
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
	if awslambda.OnLambda() {
		subs = config.Subscriptions{Keeper: subs.Keeper} // Lambda's event source mapping receives
	}
	res, err := cfg.Open(ctx, subs)
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	if u := memURL(cfg, subs); u != "" {
		log.Warn("a mem:// resource lives inside this one process and reaches no other function; "+
			"set the HERALD_* URLs, or run all five together with functions/local", "url", u)
	}
	log.Info(name + " is running")
	env := Env{Config: cfg, Res: res, Logger: log, Function: name,
		// On Lambda the adapters write the metrics as EMF lines.
		Metrics:     metrics.New(metrics.Config{EMF: awslambda.OnLambda()}),
		MetricsAddr: cfg.MetricsAddr}
	if name == "deliver" {
		EventCache(&env)
	}
	if env.MetricsAddr == "" || awslambda.OnLambda() {
		return run(ctx, env)
	}
	return serveMetricsWhile(ctx, env, run)
}

// serveMetricsWhile runs run while env.Metrics is served on env.MetricsAddr.
// A metrics server that fails ends run's context, and the function.
func serveMetricsWhile(ctx context.Context, env Env, run func(context.Context, Env) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() {
		err := env.Metrics.Serve(ctx, env.MetricsAddr, func(a net.Addr) {
			env.Logger.Info("metrics are served", "addr", a.String(), "path", "/metrics")
		})
		if err != nil {
			cancel()
		}
		served <- err
	}()
	err := run(ctx, env)
	cancel()
	return errors.Join(err, <-served)
}

// memURL returns the first mem:// URL among the resources Open opened with
// subs, or "".
func memURL(cfg config.Config, subs config.Subscriptions) string {
	urls := []string{cfg.IngestTopic, cfg.DeliverTopic,
		cfg.WebhooksCollection, cfg.EventsCollection, cfg.DeliveriesCollection, cfg.ScheduleCollection}
	if subs.Ingest {
		urls = append(urls, cfg.IngestSubscription)
	}
	if subs.Deliver {
		urls = append(urls, cfg.DeliverSubscription)
	}
	for _, u := range urls {
		if strings.HasPrefix(u, "mem://") {
			return u
		}
	}
	return ""
}
