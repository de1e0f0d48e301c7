package localtest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "gocloud.dev/docstore/memdocstore" // mem:// collections
	_ "gocloud.dev/pubsub/mempubsub"     // mem:// topics
	_ "gocloud.dev/secrets/localsecrets" // the data dir's base64key:// keeper

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/local"
	"github.com/heraldhq/herald/pkg/logging"
	_ "github.com/heraldhq/herald/pkg/memq" // memq:// topics, local mode's default
)

// AdminToken is the bootstrap admin token of a system whose variables do not
// set HERALD_ADMIN_TOKEN.
const AdminToken = "localtest-admin-token-0123456789abcdef"

// readyWithin bounds how long Start waits for GET /healthz.
const readyWithin = 10 * time.Second

// systems numbers the topics and collections of the systems of this process.
var systems atomic.Int64

// Options are what a test sets beyond the variables.
type Options struct {
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
}

// System is local mode started for a test.
type System struct {
	*local.System
	// URL is the admin API's base URL: "http://" and System.Addr.
	URL string
	// Config is the configuration the system runs on; Config.AdminToken is
	// its admin token.
	Config config.Config
}

// Start starts local mode on the variables env over the defaults the package
// doc lists, waits until it is ready and closes it when the test ends. Any
// failure fails the test.
func Start(t testing.TB, env map[string]string, opt Options) *System {
	t.Helper()
	s, err := StartConfig(t, Config(t, env), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Config returns the configuration Start runs on for env: the defaults the
// package doc lists, overridden by env, read by config.FromEnv in local mode.
// Change it and start it with StartConfig where a test needs what no
// variable says (a second start on the same data dir, say).
func Config(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	vars := Topics("memq")
	vars["HERALD_ADDR"] = "127.0.0.1:0"
	vars["HERALD_ADMIN_TOKEN"] = AdminToken
	vars["HERALD_DATA_DIR"] = t.TempDir()
	vars["HERALD_LOG_LEVEL"] = "warn"
	maps.Copy(vars, env)
	cfg, err := config.FromEnv(func(k string) string { return vars[k] }, config.Local)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// StartConfig starts local mode on cfg, logging to the test's output at
// cfg.LogLevel, waits until its admin API answers GET /healthz and closes it
// when the test ends (Close may be called before: it closes once). It
// returns the error local.Start returns; any later failure fails the test.
func StartConfig(t testing.TB, cfg config.Config, opt Options) (*System, error) {
	t.Helper()
	sys, err := local.Start(context.Background(), cfg, local.Options{Logger: logging.New(t.Output(), cfg.LogLevel, ""),
		Now: opt.Now, ShutdownTimeout: cfg.ShutdownTimeout})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		if err := sys.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	s := &System{System: sys, URL: "http://" + sys.Addr, Config: cfg}
	heraldtest.Eventually(t, readyWithin, s.ready, "GET %s/healthz", s.URL)
	return s, nil
}

// ready reports whether the admin API answers GET /healthz with 200.
func (s *System) ready() bool {
	resp, err := http.Get(s.URL + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Topics returns the four topic variables set to topics of the pubsub
// scheme given ("memq", local mode's default, or "mem", gocloud's
// mempubsub) with names of their own.
func Topics(scheme string) map[string]string {
	topic := fmt.Sprintf("%s://localtest-%d-", scheme, systems.Add(1))
	return map[string]string{
		"HERALD_INGEST_TOPIC":         topic + "ingest",
		"HERALD_INGEST_SUBSCRIPTION":  topic + "ingest",
		"HERALD_DELIVER_TOPIC":        topic + "deliver",
		"HERALD_DELIVER_SUBSCRIPTION": topic + "deliver",
	}
}

// MemCollections returns the five collection variables set to mem://
// collections of names of their own (memdocstore snapshots them in the data
// dir), for a test that wants them instead of local mode's bolt:// ones.
func MemCollections() map[string]string {
	n := systems.Add(1)
	env := map[string]string{}
	for _, c := range []string{"webhooks", "events", "deliveries", "schedule", "applications"} {
		env["HERALD_"+strings.ToUpper(c)+"_COLLECTION"] = fmt.Sprintf("mem://localtest-%s-%d/id", c, n)
	}
	return env
}
