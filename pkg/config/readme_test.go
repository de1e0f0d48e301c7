package config

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEveryVariable keeps the README's configuration table in step
// with Vars.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		line := ""
		for _, l := range strings.Split(string(readme), "\n") {
			if strings.HasPrefix(l, "| `"+v.Name+"` |") {
				line = l
			}
		}
		if line == "" {
			t.Errorf("README has no table row for %s", v.Name)
			continue
		}
		if v.Default != "" && !strings.Contains(line, "`"+v.Default+"`") {
			t.Errorf("README row for %s does not show its default %q: %s", v.Name, v.Default, line)
		}
		if v.Local != "" && !strings.Contains(line, "`"+v.Local+"`") {
			t.Errorf("README row for %s does not show its local-mode default %q: %s", v.Name, v.Local, line)
		}
	}
}

func TestFromEnvDefaultsAndErrors(t *testing.T) {
	cfg, err := FromEnv(func(string) string { return "" }, Local)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.AllowPrivateTargets || len(cfg.RetrySchedule) != 7 || cfg.Addr != "127.0.0.1:8080" || cfg.HeapFloorMiB != 128 {
		t.Errorf("local defaults = %+v", cfg)
	}
	if want := "bolt://webhooks/id?index=tenant_id,partner_id&sparse=scope,id&sparse=secret_duty_shard,secret_duty_ms&file=data%2Fherald.db"; cfg.WebhooksCollection != want {
		t.Errorf("webhooks URL = %q, want %q", cfg.WebhooksCollection, want)
	}
	if want := "memq://herald-ingest?journal=data%2Fqueue.db"; cfg.IngestTopic != want || cfg.IngestSubscription != want {
		t.Errorf("ingest URLs = %q, %q, want %q", cfg.IngestTopic, cfg.IngestSubscription, want)
	}
	if cfg.DeliverTopic != "memq://herald-deliver" {
		t.Errorf("deliver topic = %q: deliver jobs are re-armed from the store, not journaled", cfg.DeliverTopic)
	}
	// A mem:// collection still gets its snapshot; a URL naming its own
	// file keeps it.
	cfg, err = FromEnv(func(k string) string {
		return map[string]string{"HERALD_WEBHOOKS_COLLECTION": "mem://webhooks/id",
			"HERALD_EVENTS_COLLECTION": "bolt://events/id?file=/elsewhere.db"}[k]
	}, Local)
	if err != nil || cfg.WebhooksCollection != "mem://webhooks/id?filename=data/webhooks.gob" ||
		cfg.EventsCollection != "bolt://events/id?file=/elsewhere.db" {
		t.Errorf("explicit URLs = %q, %q, %v", cfg.WebhooksCollection, cfg.EventsCollection, err)
	}
	cfg, err = FromEnv(func(string) string { return "" }, Deployed)
	if err != nil || cfg.AllowPrivateTargets || strings.Contains(cfg.WebhooksCollection, "filename") {
		t.Errorf("non-local defaults = %+v, %v", cfg, err)
	}
	for _, tc := range []struct{ name, bad string }{
		{"HERALD_RETRY_SCHEDULE", "30s,soon"},
		{"HERALD_DELIVERY_TIMEOUT", "-1s"},
		{"HERALD_ALLOW_PRIVATE_TARGETS", "perhaps"},
		{"HERALD_DELIVER_CONCURRENCY", "0"},
		{"HERALD_HEAP_FLOOR_MIB", "-1"},
		{"HERALD_HEAP_FLOOR_MIB", "17592186044416"}, // 2^44 MiB: would wrap to 0 bytes
	} {
		_, err := FromEnv(func(k string) string {
			if k == tc.name {
				return tc.bad
			}
			return ""
		}, Deployed)
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%q: err = %v, want one naming the variable", tc.name, tc.bad, err)
		}
	}
}
