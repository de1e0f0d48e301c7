package awslambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/metrics"
)

// emfDoc is the part of an EMF line the tests read.
type emfDoc struct {
	AWS struct {
		Timestamp         int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string
			Dimensions [][]string
			Metrics    []struct{ Name, Unit string }
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
}

// parseEMFLine parses out as exactly one EMF line and returns its metadata
// and its root members.
func parseEMFLine(t *testing.T, out []byte) (emfDoc, map[string]any) {
	t.Helper()
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	if len(lines) != 1 || len(lines[0]) == 0 {
		t.Fatalf("want one EMF line, got %q", out)
	}
	var doc emfDoc
	var root map[string]any
	if err := json.Unmarshal(lines[0], &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[0], &root); err != nil {
		t.Fatal(err)
	}
	if doc.AWS.Timestamp == 0 || len(doc.AWS.CloudWatchMetrics) != 1 {
		t.Fatalf("no EMF metadata in %s", lines[0])
	}
	d := doc.AWS.CloudWatchMetrics[0]
	if d.Namespace != "Herald" || len(d.Dimensions) != 1 || len(d.Dimensions[0]) != 1 || d.Dimensions[0][0] != "function" {
		t.Errorf("directive %+v", d)
	}
	for _, m := range d.Metrics {
		if _, ok := root[m.Name]; !ok {
			t.Errorf("metric %s declared but not at the root", m.Name)
		}
	}
	return doc, root
}

// TestSQSWritesEMFAfterBatch: after the sample ingest batch the adapter
// prints one EMF line with the batch's counts (received, done, malformed,
// events ingested) and a handler latency per record.
func TestSQSWritesEMFAfterBatch(t *testing.T) {
	t.Parallel()
	var ev events.SQSEvent
	sample(t, "sqs-ingest-batch.json", &ev)
	m := metrics.New(metrics.Config{EMF: true})
	h, err := ingest.New(ingest.Config{Webhooks: heraldtest.Collection(t), Events: heraldtest.Collection(t),
		Deliveries: heraldtest.Collection(t), Enqueuer: nopEnqueuer{}, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	handler := awslambda.SQS(h.Handle, awslambda.Config{Function: "ingest", Metrics: m, EMF: &out, Logger: discard})
	if _, err := handler(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	_, root := parseEMFLine(t, out.Bytes())
	if root["function"] != "ingest" {
		t.Errorf("function = %v", root["function"])
	}
	for name, want := range map[string]float64{"messages_received": 3, "messages_done": 2,
		"messages_malformed": 1, "events_ingested": 2} {
		if root[name] != want {
			t.Errorf("%s = %v, want %v", name, root[name], want)
		}
	}
	if vs, _ := root["handler_duration"].([]any); len(vs) != 3 {
		t.Errorf("handler_duration = %v, want 3 values", root["handler_duration"])
	}

	// The same batch again: the line counts this invocation only (the
	// events are duplicates now, so none is ingested).
	out.Reset()
	if _, err := handler(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	_, root = parseEMFLine(t, out.Bytes())
	if root["messages_received"] != 3.0 || root["events_ingested"] != 0.0 {
		t.Errorf("second batch: received %v ingested %v, want 3 and 0", root["messages_received"], root["events_ingested"])
	}
}

// TestScheduleWritesEMFAfterRun: each scheduled run prints one EMF line
// counting the run by outcome, failed runs too.
func TestScheduleWritesEMFAfterRun(t *testing.T) {
	t.Parallel()
	var ev events.EventBridgeEvent
	sample(t, "schedule.json", &ev)
	m := metrics.New(metrics.Config{EMF: true})
	var out bytes.Buffer
	fail := false
	run := awslambda.Schedule(func(context.Context) error {
		if fail {
			return errors.New("boom")
		}
		return nil
	}, awslambda.Config{Function: "retry-scheduler", Metrics: m, EMF: &out, Logger: discard})
	if err := run(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	_, root := parseEMFLine(t, out.Bytes())
	if root["function"] != "retry-scheduler" || root["scheduled_runs_done"] != 1.0 {
		t.Errorf("first run: %s", out.Bytes())
	}
	out.Reset()
	fail = true
	if err := run(context.Background(), ev); err == nil {
		t.Fatal("failed run did not fail the invocation")
	}
	_, root = parseEMFLine(t, out.Bytes())
	if root["scheduled_runs_failed"] != 1.0 || root["scheduled_runs_done"] != 0.0 {
		t.Errorf("failed run: %s", out.Bytes())
	}
}
