package local_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "gocloud.dev/docstore/memdocstore"
	"gocloud.dev/pubsub"
	_ "gocloud.dev/pubsub/mempubsub"
	_ "gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/local"
	_ "github.com/heraldhq/herald/pkg/memq"
	"github.com/heraldhq/herald/pkg/retry"
)

var systems atomic.Int64

// memConfig returns a local-mode configuration on memq:// topics and mem://
// collections with names of its own, so tests running in parallel in one
// process never share a topic.
func memConfig(t testing.TB, dataDir string) config.Config {
	t.Helper()
	return configOn(t, dataDir, "memq")
}

// configOn is memConfig with topics of the pubsub scheme given: "memq" (local
// mode's default) or "mem" (gocloud's mempubsub).
func configOn(t testing.TB, dataDir, scheme string) config.Config {
	t.Helper()
	n := systems.Add(1)
	env := map[string]string{
		"HERALD_ADDR":                    "127.0.0.1:0",
		"HERALD_ADMIN_TOKEN":             "test-token",
		"HERALD_DATA_DIR":                dataDir,
		"HERALD_INGEST_TOPIC":            fmt.Sprintf("%s://ingest-%d", scheme, n),
		"HERALD_INGEST_SUBSCRIPTION":     fmt.Sprintf("%s://ingest-%d", scheme, n),
		"HERALD_DELIVER_TOPIC":           fmt.Sprintf("%s://deliver-%d", scheme, n),
		"HERALD_DELIVER_SUBSCRIPTION":    fmt.Sprintf("%s://deliver-%d", scheme, n),
		"HERALD_WEBHOOKS_COLLECTION":     fmt.Sprintf("mem://webhooks-%d/id", n),
		"HERALD_EVENTS_COLLECTION":       fmt.Sprintf("mem://events-%d/id", n),
		"HERALD_DELIVERIES_COLLECTION":   fmt.Sprintf("mem://deliveries-%d/id", n),
		"HERALD_SCHEDULE_COLLECTION":     fmt.Sprintf("mem://schedule-%d/id", n),
		"HERALD_APPLICATIONS_COLLECTION": fmt.Sprintf("mem://applications-%d/id", n),
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, true)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func memBackend(t *testing.T, s contract.Settings) *contract.System {
	cfg := memConfig(t, t.TempDir())
	cfg.RetrySchedule = retry.Schedule(s.RetrySchedule)
	cfg.HeaderPrefix = s.HeaderPrefix
	return startSystem(t, cfg)
}

func startSystem(t *testing.T, cfg config.Config) *contract.System {
	t.Helper()
	s, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s.System
}

// running is a started local system and the contract's view of it.
type running struct {
	*contract.System
	Close func() error
}

// startLocal starts local mode on cfg, logging to the test's output; it is
// closed when the test ends, if not before.
func startLocal(t *testing.T, cfg config.Config) (*running, error) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	sys, err := local.Start(context.Background(), cfg, local.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		if err := sys.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	topic, err := pubsub.OpenTopic(context.Background(), cfg.IngestTopic)
	if err != nil {
		return nil, err
	}
	return &running{Close: sys.Close, System: &contract.System{
		BaseURL: "http://" + sys.Addr,
		Token:   cfg.AdminToken,
		Publish: func(ctx context.Context, body []byte) error {
			return topic.Send(ctx, &pubsub.Message{Body: body})
		},
		IngestCounts: func() (int64, int64) {
			return sys.IngestStats.Done.Load(), sys.IngestStats.Malformed.Load()
		},
	}}, nil
}

// TestContractDefaults runs the contract suite on local mode's default
// drivers: bolt:// collections and a journaled memq:// ingest topic in a data
// dir of the test's own (topic names of its own too: one process shares
// memq's broker).
func TestContractDefaults(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T, s contract.Settings) *contract.System {
		n := systems.Add(1)
		env := map[string]string{
			"HERALD_ADDR":                 "127.0.0.1:0",
			"HERALD_ADMIN_TOKEN":          "test-token",
			"HERALD_DATA_DIR":             t.TempDir(),
			"HERALD_INGEST_TOPIC":         fmt.Sprintf("memq://ingest-%d", n),
			"HERALD_INGEST_SUBSCRIPTION":  fmt.Sprintf("memq://ingest-%d", n),
			"HERALD_DELIVER_TOPIC":        fmt.Sprintf("memq://deliver-%d", n),
			"HERALD_DELIVER_SUBSCRIPTION": fmt.Sprintf("memq://deliver-%d", n),
		}
		cfg, err := config.FromEnv(func(k string) string { return env[k] }, true)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cfg.DeliveriesCollection, "bolt://") || !strings.Contains(cfg.IngestTopic, "journal=") {
			t.Fatalf("local defaults changed: %s, %s", cfg.DeliveriesCollection, cfg.IngestTopic)
		}
		cfg.RetrySchedule = retry.Schedule(s.RetrySchedule)
		cfg.HeaderPrefix = s.HeaderPrefix
		return startSystem(t, cfg)
	})
}

func TestContractMem(t *testing.T) {
	t.Parallel()
	contract.Run(t, memBackend)
}

// TestMempubsubStaysAvailable runs local mode on gocloud's mem:// topics
// instead of memq: an event still reaches its receiver, and a retry (no
// native delay there) goes through the due-time table.
func TestMempubsubStaysAvailable(t *testing.T) {
	t.Parallel()
	cfg := configOn(t, t.TempDir(), "mem")
	s := startSystem(t, cfg)
	api := contract.NewAPI(t, s.BaseURL, s.Token)
	r := contract.NewReceiver(t, "X-Herald-", http.StatusInternalServerError, http.StatusOK)
	hook := api.CreateWebhook(r, map[string]any{"retry_schedule": []string{"1s"}})
	api.Publish(map[string]any{"event_type": "order.created"})
	if got := r.WaitFor(2, 10*time.Second); !got[1].Verified {
		t.Error("retried delivery does not verify")
	}
	api.WaitDelivery(hook.ID, "succeeded", 10*time.Second)
}
