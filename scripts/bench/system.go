package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/heapfloor"
	"github.com/heraldhq/herald/pkg/local"
)

// benchSecret signs every bench webhook, so receivers can check the hex
// signature without reading it back from the API.
const benchSecret = "whsec_YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2g="

const adminToken = "bench-token-bench-token-bench-token"

var systems atomic.Int64

// inMemory, while set, makes startHerald use local mode's fast, not durable
// variant: mem:// collections (gocloud's memdocstore, outside local mode's
// default) and memq:// topics without a journal.
var inMemory bool

// withoutJournal drops the journal parameter local mode adds to a memq:// URL.
func withoutJournal(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Del("journal")
	p.RawQuery = q.Encode()
	return p.String()
}

// herald is one running local-mode system and what the bench needs of it.
type herald struct {
	sys    *local.System
	cfg    config.Config
	topic  *pubsub.Topic
	client *http.Client // keep-alive, for publishing over HTTP
	dir    string
	floor  *heapfloor.Floor
}

// startHerald starts local mode with local mode's defaults, except that every
// topic, subscription and collection gets a name of its own (the default's
// name with a suffix, whatever its driver), and tune adjusts the rest. Like
// the herald binary (functions/local), it keeps the heap floor of the
// config (local mode's default HERALD_HEAP_FLOOR_MIB, unless tune changes
// it) for the process while the system runs.
func startHerald(ctx context.Context, tune func(*config.Config)) (*herald, error) {
	n := systems.Add(1)
	dir, err := os.MkdirTemp("", "herald-bench-")
	if err != nil {
		return nil, err
	}
	env := map[string]string{"HERALD_ADDR": "127.0.0.1:0", "HERALD_ADMIN_TOKEN": adminToken,
		"HERALD_DATA_DIR": dir, "HERALD_LOG_LEVEL": "error"}
	for _, v := range config.Vars {
		if !strings.HasSuffix(v.Name, "_TOPIC") && !strings.HasSuffix(v.Name, "_SUBSCRIPTION") &&
			!strings.HasSuffix(v.Name, "_COLLECTION") {
			continue
		}
		def := v.Default
		if v.Local != "" && !(inMemory && strings.HasSuffix(v.Name, "_COLLECTION")) {
			def = v.Local
		}
		if def == "" {
			continue // unset by default (HERALD_OWN_EVENTS_TOPIC): nothing to rename
		}
		if env[v.Name], err = uniqueName(def, n); err != nil {
			return nil, fmt.Errorf("%s: %w", v.Name, err)
		}
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, config.Local)
	if err != nil {
		return nil, err
	}
	if inMemory {
		cfg.IngestTopic, cfg.IngestSubscription = withoutJournal(cfg.IngestTopic), withoutJournal(cfg.IngestSubscription)
	}
	if tune != nil {
		tune(&cfg)
	}
	sys, err := local.Start(ctx, cfg, local.Options{})
	if err != nil {
		return nil, err
	}
	topic, err := pubsub.OpenTopic(ctx, cfg.IngestTopic)
	if err != nil {
		_ = sys.Close()
		return nil, err
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1024}}
	floor := heapfloor.Start(uint64(cfg.HeapFloorMiB) << 20)
	return &herald{sys: sys, cfg: cfg, topic: topic, client: client, dir: dir, floor: floor}, nil
}

// uniqueName renames the resource of a gocloud URL ("mem://herald-ingest",
// "mem://webhooks/id") by suffixing its host: "mem://herald-ingest-bench3".
func uniqueName(u string, n int64) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	if p.Host == "" {
		return "", fmt.Errorf("no resource name in %q", u)
	}
	p.Host = fmt.Sprintf("%s-bench%d", p.Host, n)
	return p.String(), nil
}

// close stops the system and removes its data dir.
func (h *herald) close() {
	_ = h.topic.Shutdown(context.Background())
	h.client.CloseIdleConnections()
	_ = h.sys.Close()
	h.floor.Stop()
	_ = os.RemoveAll(h.dir)
}

// publish sends one event to the ingest topic.
func (h *herald) publish(ctx context.Context, body []byte) error {
	return h.topic.Send(ctx, &pubsub.Message{Body: body})
}

// post publishes one event as an upstream system does: POST /api/v1/events,
// answered 202 once the event is on disk.
func (h *herald) post(ctx context.Context, body []byte) error {
	return h.postJSON(ctx, h.client, "/api/v1/events", body, http.StatusAccepted, "publish over HTTP")
}

// postJSON posts body to path of the admin API with the admin token through
// client and fails, naming what, unless the answer has status want.
func (h *herald) postJSON(ctx context.Context, client *http.Client, path string, body []byte, want int, what string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+h.sys.Addr+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	msg, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s: %s: %s", what, resp.Status, msg)
	}
	return nil
}

// sender returns how events reach h: over HTTP (post) or to the ingest
// topic (publish).
func (h *herald) sender(overHTTP bool) func(context.Context, []byte) error {
	if overHTTP {
		return h.post
	}
	return h.publish
}

// webhook is what the bench sets on the webhooks it creates.
type webhook struct {
	Name          string   `json:"name"`
	URL           string   `json:"url"`
	Events        []string `json:"events"`
	Secret        string   `json:"secret"`
	Validate      bool     `json:"validate"`
	MaxInFlight   int      `json:"max_in_flight"`
	RetrySchedule []string `json:"retry_schedule,omitempty"`
}

// createWebhooks creates n webhooks for bench.* events at target through the
// admin API.
func (h *herald) createWebhooks(ctx context.Context, n int, target string, retrySchedule ...string) error {
	for i := range n {
		w := webhook{Name: fmt.Sprintf("bench %d", i), URL: target, Events: []string{"bench.*"},
			Secret: benchSecret, MaxInFlight: 100, RetrySchedule: retrySchedule}
		body, _ := json.Marshal(w)
		if err := h.postJSON(ctx, http.DefaultClient, "/api/v1/admin/webhooks/", body, http.StatusCreated, "create webhook"); err != nil {
			return err
		}
	}
	return nil
}
