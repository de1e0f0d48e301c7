package metrics_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/metrics"
)

// emfLine is an EMF document as the specification defines it.
type emfLine struct {
	AWS struct {
		Timestamp         *int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
	root map[string]any
}

// parseEMF parses the lines in b and checks each against the EMF
// specification: a Timestamp, directives with a namespace, dimension sets of
// at most 30 names each present at the root as strings, at most 100 metric
// definitions each present at the root as a number or an array of at most
// 100 numbers.
func parseEMF(t *testing.T, b []byte) []emfLine {
	t.Helper()
	var out []emfLine
	for _, raw := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(raw) == 0 {
			continue
		}
		var l emfLine
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("EMF line %s: %v", raw, err)
		}
		if err := json.Unmarshal(raw, &l.root); err != nil {
			t.Fatal(err)
		}
		if l.AWS.Timestamp == nil || *l.AWS.Timestamp <= 0 {
			t.Errorf("no Timestamp in %s", raw)
		}
		if len(l.AWS.CloudWatchMetrics) == 0 {
			t.Errorf("no CloudWatchMetrics in %s", raw)
		}
		for _, d := range l.AWS.CloudWatchMetrics {
			if d.Namespace == "" || len(d.Metrics) == 0 || len(d.Metrics) > 100 {
				t.Errorf("bad directive in %s", raw)
			}
			for _, set := range d.Dimensions {
				if len(set) > 30 {
					t.Errorf("dimension set of %d names", len(set))
				}
				for _, name := range set {
					if _, ok := l.root[name].(string); !ok {
						t.Errorf("dimension %s not a string member of the root", name)
					}
				}
			}
			for _, m := range d.Metrics {
				switch v := l.root[m.Name].(type) {
				case float64:
				case []any:
					if len(v) > 100 {
						t.Errorf("%s has %d values, over 100", m.Name, len(v))
					}
				default:
					t.Errorf("metric %s is %T at the root, want a number or an array", m.Name, v)
				}
			}
		}
		out = append(out, l)
	}
	return out
}

func (l emfLine) unit(name string) string {
	for _, m := range l.AWS.CloudWatchMetrics[0].Metrics {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}

// TestFlushEMFWritesDeltas: a flush writes the increase since the previous
// one, with the function dimension, and leaves out other functions' series.
func TestFlushEMFWritesDeltas(t *testing.T) {
	t.Parallel()
	now := time.UnixMilli(1_790_000_000_000)
	m := metrics.New(metrics.Config{EMF: true, Now: func() time.Time { return now }})
	m.MessageReceived("deliver")
	m.MessageHandled("deliver", metrics.Done, 12*time.Millisecond)
	m.MessageHandled("ingest", metrics.Done, time.Millisecond) // another function
	m.Attempt(metrics.AttemptSucceeded, 8*time.Millisecond)
	var buf bytes.Buffer
	if err := m.FlushEMF(&buf, "deliver"); err != nil {
		t.Fatal(err)
	}
	lines := parseEMF(t, buf.Bytes())
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1:\n%s", len(lines), buf.String())
	}
	l := lines[0]
	d := l.AWS.CloudWatchMetrics[0]
	if *l.AWS.Timestamp != now.UnixMilli() || d.Namespace != "Herald" ||
		len(d.Dimensions) != 1 || len(d.Dimensions[0]) != 1 || d.Dimensions[0][0] != "function" || l.root["function"] != "deliver" {
		t.Errorf("metadata: %s", buf.String())
	}
	for name, want := range map[string]float64{"messages_received": 1, "messages_done": 1, "attempts_succeeded": 1} {
		if got := l.root[name]; got != want || l.unit(name) != "Count" {
			t.Errorf("%s = %v (%s), want %v Count", name, got, l.unit(name), want)
		}
	}
	if vs, _ := l.root["handler_duration"].([]any); len(vs) != 1 || vs[0] != 12.0 || l.unit("handler_duration") != "Milliseconds" {
		t.Errorf("handler_duration = %v (%s), want [12] Milliseconds", l.root["handler_duration"], l.unit("handler_duration"))
	}
	if vs, _ := l.root["attempt_duration_succeeded"].([]any); len(vs) != 1 || vs[0] != 8.0 {
		t.Errorf("attempt_duration_succeeded = %v, want [8]", l.root["attempt_duration_succeeded"])
	}
	if strings.Contains(buf.String(), "go_") || strings.Contains(buf.String(), "process_") {
		t.Errorf("line carries the runtime's series: %s", buf.String())
	}

	// The next flush carries only what happened since.
	m.MessageReceived("deliver")
	buf.Reset()
	if err := m.FlushEMF(&buf, "deliver"); err != nil {
		t.Fatal(err)
	}
	l = parseEMF(t, buf.Bytes())[0]
	if l.root["messages_received"] != 1.0 || l.root["messages_done"] != 0.0 {
		t.Errorf("second flush: received %v done %v, want 1 and 0", l.root["messages_received"], l.root["messages_done"])
	}
	if _, ok := l.root["handler_duration"]; ok {
		t.Error("second flush repeats the first one's latencies")
	}
}

// TestFlushEMFSplitsValues: over 100 latencies go out in several lines of
// at most 100 values; the counters only in the first.
func TestFlushEMFSplitsValues(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{EMF: true})
	for range 250 {
		m.MessageHandled("deliver", metrics.Done, time.Millisecond)
	}
	var buf bytes.Buffer
	if err := m.FlushEMF(&buf, "deliver"); err != nil {
		t.Fatal(err)
	}
	lines := parseEMF(t, buf.Bytes())
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3", len(lines))
	}
	total := 0
	for i, l := range lines {
		total += len(l.root["handler_duration"].([]any))
		if _, ok := l.root["messages_done"]; ok != (i == 0) {
			t.Errorf("line %d: messages_done present = %v", i, ok)
		}
	}
	if total != 250 {
		t.Errorf("%d values in all, want 250", total)
	}
}

// TestFlushEMFNothingRecorded writes nothing when nothing was recorded, nor
// when nothing changed since the previous flush.
func TestFlushEMFNothingRecorded(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := metrics.New(metrics.Config{EMF: true}).FlushEMF(&buf, "ingest"); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
	m := metrics.New(metrics.Config{})
	m.EventIngested()
	if err := m.FlushEMF(&buf, "ingest"); err != nil || buf.Len() == 0 {
		t.Fatalf("first flush: %v, %q", err, buf.String())
	}
	buf.Reset()
	if err := m.FlushEMF(&buf, "ingest"); err != nil || buf.Len() != 0 {
		t.Errorf("second flush with nothing new: %v, %q", err, buf.String())
	}
}
