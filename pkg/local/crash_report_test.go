package local_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/config"
)

// crashReport is the summary of a crash test, logged and written as JSON.
type crashReport struct {
	Test   string `json:"test"`
	Seed   uint64 `json:"seed"`
	Signal string `json:"signal"`
	Kills  int    `json:"kills"`
	// Stores are the URLs the children ran on (local mode's defaults).
	Stores map[string]string `json:"stores"`

	Accepted   int `json:"accepted"`   // events answered 202
	Delivered  int `json:"delivered"`  // of those, delivered at least once
	Missing    int `json:"missing"`    // of those, never delivered
	Duplicates int `json:"duplicates"` // requests beyond the first per event
	// Unanswered are events delivered whose publish got no 202 (the child
	// died before answering).
	Unanswered  int `json:"unanswered"`
	Failed      int `json:"receiver_500s"`    // requests the receiver failed on purpose
	Refused     int `json:"publish_failures"` // publish requests without a 202
	WebhookLost int `json:"webhook_lost"`     // restarts after which the webhook was gone
	// Recorded is how many deliveries the webhook lists at the end.
	Recorded   int         `json:"deliveries_recorded"`
	ChildRaces int         `json:"child_data_races"` // reported by the race detector in the children
	DrainMS    int64       `json:"drain_ms"`         // from the end of publishing to the end of the wait
	Runs       []runReport `json:"runs"`
	Pass       bool        `json:"pass"`
}

// runReport is one child's part.
type runReport struct {
	Run      int   `json:"run"`
	StartMS  int64 `json:"start_ms"` // from exec to ready
	Accepted int   `json:"accepted"`
	Missing  int   `json:"missing"`
}

func (r *crashReport) fill(n tally) {
	r.Accepted, r.Delivered, r.Missing, r.Duplicates = n.accepted, n.delivered, n.missing, n.duplicates
	r.Unanswered, r.Failed, r.Refused = n.unanswered, n.failed, n.refused
	for i := range r.Runs {
		r.Runs[i].Accepted, r.Runs[i].Missing = n.acceptedByRun[r.Runs[i].Run], n.missingByRun[r.Runs[i].Run]
	}
	r.Pass = r.Missing == 0 && r.WebhookLost == 0 && r.Accepted > 0
}

// write logs the report and writes it to HERALD_CRASH_REPORT (with the
// signal in the name for the SIGTERM test), or crash_report*.json here.
func (r *crashReport) write(t *testing.T) {
	t.Helper()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("HERALD_CRASH_REPORT")
	if path == "" {
		path = "crash_report.json"
	}
	if r.Signal != "SIGKILL" {
		path = strings.TrimSuffix(path, ".json") + "_" + strings.ToLower(r.Signal) + ".json"
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Errorf("write report: %v", err)
	}
	t.Logf("%s %d×: accepted %d, delivered %d, missing %d, duplicates %d, webhook lost %d times, seed %d (report: %s)\n%s",
		r.Signal, r.Kills, r.Accepted, r.Delivered, r.Missing, r.Duplicates, r.WebhookLost, r.Seed, path, b)
}

// stores returns the collection and topic URLs a child on env runs on.
func stores(t *testing.T, env map[string]string) map[string]string {
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, config.Local)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"webhooks": cfg.WebhooksCollection, "events": cfg.EventsCollection,
		"deliveries": cfg.DeliveriesCollection, "schedule": cfg.ScheduleCollection,
		"ingest": cfg.IngestTopic, "deliver": cfg.DeliverTopic}
}
