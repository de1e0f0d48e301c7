package wire

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/logging"
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
	return run(ctx, Env{Config: cfg, Res: res, Logger: log})
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
