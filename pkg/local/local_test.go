package local_test

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/local/localtest"
	"github.com/heraldhq/herald/pkg/retry"
)

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
	return localConfig(t, dataDir, scheme, true)
}

// localConfig is local mode's configuration on dataDir with topics of the
// given scheme and names of their own, and mem:// collections of their own
// when memCollections, else local mode's default ones (bolt:// in dataDir).
func localConfig(t testing.TB, dataDir, scheme string, memCollections bool) config.Config {
	t.Helper()
	env := localtest.Topics(scheme)
	if memCollections {
		maps.Copy(env, localtest.MemCollections())
	}
	env["HERALD_DATA_DIR"] = dataDir
	env["HERALD_LOG_LEVEL"] = "debug"
	return localtest.Config(t, env)
}

// backend is the contract suite's backend on the configuration cfg makes.
func backend(cfg func(t *testing.T) config.Config) contract.Backend {
	return func(t *testing.T, s contract.Settings) *contract.System {
		c := cfg(t)
		c.RetrySchedule = retry.Schedule(s.RetrySchedule)
		c.HeaderPrefix = s.HeaderPrefix
		return startSystem(t, c)
	}
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

// withNewTopics returns cfg, on its data dir, with topics of new names: a
// restarted process has new in-memory topics, and only the data dir carries
// over.
func withNewTopics(t testing.TB, cfg config.Config) config.Config {
	t.Helper()
	fresh := memConfig(t, cfg.DataDir)
	cfg.IngestTopic, cfg.IngestSubscription = fresh.IngestTopic, fresh.IngestSubscription
	cfg.DeliverTopic, cfg.DeliverSubscription = fresh.DeliverTopic, fresh.DeliverSubscription
	return cfg
}

// startLocal starts local mode on cfg (localtest.StartConfig) and gives
// the contract's view of it, publishing to its ingest topic; it is closed
// when the test ends, if not before.
func startLocal(t *testing.T, cfg config.Config) (*running, error) {
	t.Helper()
	sys, err := localtest.StartConfig(t, cfg, localtest.Options{})
	if err != nil {
		return nil, err
	}
	topic, err := pubsub.OpenTopic(context.Background(), cfg.IngestTopic)
	if err != nil {
		return nil, err
	}
	return &running{Close: sys.Close, System: &contract.System{
		BaseURL: sys.URL,
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
	contract.Run(t, backend(func(t *testing.T) config.Config {
		cfg := localConfig(t, t.TempDir(), "memq", false)
		if !strings.HasPrefix(cfg.DeliveriesCollection, "bolt://") || !strings.Contains(cfg.IngestTopic, "journal=") {
			t.Fatalf("local defaults changed: %s, %s", cfg.DeliveriesCollection, cfg.IngestTopic)
		}
		return cfg
	}))
}

func TestContractMem(t *testing.T) {
	t.Parallel()
	contract.Run(t, backend(func(t *testing.T) config.Config { return memConfig(t, t.TempDir()) }))
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
