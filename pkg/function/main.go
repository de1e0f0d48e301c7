package function

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
	"github.com/heraldhq/herald/pkg/store"
)

// Main is the body of a functions/<name> binary: it reads the configuration
// from the environment, opens what the function needs (without the
// subscriptions on Lambda, where the event source mapping receives), and
// calls run with a context that ends on SIGINT or SIGTERM. It exits the
// process with status 1 when anything fails.
func Main(name string, needs func(config.Config) config.Needs, run func(ctx context.Context, env Env) error) {
	if err := mainErr(name, needs, run); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func mainErr(name string, needsOf func(config.Config) config.Needs, run func(context.Context, Env) error) error {
	cfg, err := config.FromEnv(os.Getenv, config.Deployed)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.LogLevel, name)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	needs := needsOf(cfg)
	if awslambda.OnLambda() {
		needs.IngestSub, needs.DeliverSub, needs.OwnEventsSub = false, false, false // Lambda's event source mappings receive
	}
	res, err := cfg.Open(ctx, needs)
	if err != nil {
		return err
	}
	defer res.Close(context.Background())
	if u := memURL(cfg, needs); u != "" {
		log.Warn("a mem:// resource lives inside this one process and reaches no other function; "+
			"set the HERALD_* URLs, or run all five together with functions/local", "url", u)
	}
	log.Info(name + " is running")
	env := Env{Config: cfg, Res: res, Logger: log, Function: name,
		// On Lambda the adapters write the metrics as EMF lines.
		Metrics:     metrics.New(metrics.Config{EMF: awslambda.OnLambda(), Namespace: cfg.MetricsNamespace}),
		MetricsAddr: cfg.MetricsAddr}
	if res.Schedule != nil {
		// Other processes write webhooks too: every writer bumps the
		// revision, and a webhook table rereads the store when it moved.
		env.Revision = store.NewRevision(res.Schedule)
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

// memURL returns the first mem:// URL among what needs names, or "".
func memURL(cfg config.Config, needs config.Needs) string {
	for _, u := range cfg.URLs(needs) {
		if strings.HasPrefix(u, "mem://") {
			return u
		}
	}
	return ""
}
