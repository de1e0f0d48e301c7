package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// EMF limits: a metric directive names at most 100 metrics, and a metric's
// value array holds at most 100 values (CloudWatch embedded metric format
// specification).
const (
	emfMaxValues = 100
	// maxObserved bounds the latencies kept per series between flushes;
	// beyond it they are still counted in Prometheus, not in EMF.
	maxObserved = 10_000
)

// emfKey names one latency series kept for EMF.
type emfKey struct{ function, name string }

// FlushEMF writes what changed since the previous flush as CloudWatch
// embedded metric format lines, one JSON object a line, with one dimension,
// function. Lambda sends a function's stdout to CloudWatch Logs, which
// extracts the metrics from such lines.
//
// Each counter series is written as its increase since the previous flush
// (Unit Count), named by its Prometheus name without "herald_" and "_total"
// followed by its label values other than function: herald_messages_total
// {outcome="done"} is messages_done. Series labelled with another function
// than function are left out. With Config.EMF, each latency recorded since
// the previous flush is written as a value (Unit Milliseconds), at most 100
// a line, in as many lines as needed. Nothing is written when nothing
// changed since the previous flush.
func (m *Metrics) FlushEMF(w io.Writer, function string) error {
	if m == nil {
		return nil
	}
	m.emf.mu.Lock()
	defer m.emf.mu.Unlock()
	counts, err := m.counterDeltas(function)
	if err != nil {
		return err
	}
	latencies := m.takeObserved(function)
	if len(latencies) == 0 && !slices.ContainsFunc(slices.Collect(maps.Values(counts)), func(v float64) bool { return v != 0 }) {
		return nil // nothing changed
	}
	for i := 0; i == 0 || len(latencies) > 0; i++ {
		doc := emfDoc{values: map[string]any{}}
		if i == 0 {
			for _, name := range slices.Sorted(maps.Keys(counts)) {
				doc.add(name, "Count", counts[name])
			}
		}
		for _, name := range slices.Sorted(maps.Keys(latencies)) {
			vs := latencies[name]
			n := min(len(vs), emfMaxValues)
			doc.add(name, "Milliseconds", vs[:n])
			if latencies[name] = vs[n:]; len(latencies[name]) == 0 {
				delete(latencies, name)
			}
		}
		if len(doc.metrics) == 0 {
			return nil
		}
		line, err := doc.encode(m.cfg.Namespace, function, m.cfg.Now())
		if err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return fmt.Errorf("write EMF line: %w", err)
		}
	}
	return nil
}

// counterDeltas returns each herald_ counter series of function (or of no
// function) as its EMF name and its increase since the previous flush.
func (m *Metrics) counterDeltas(function string) (map[string]float64, error) {
	families, err := m.reg.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather metrics: %w", err)
	}
	if m.emf.last == nil {
		m.emf.last = map[string]float64{}
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetType() != dto.MetricType_COUNTER || !strings.HasPrefix(f.GetName(), "herald_") {
			continue
		}
		for _, s := range f.GetMetric() {
			name, ok := emfName(f.GetName(), s.GetLabel(), function)
			if !ok {
				continue
			}
			v := s.GetCounter().GetValue()
			out[name] += v - m.emf.last[name]
			m.emf.last[name] = v
		}
	}
	return out, nil
}

// emfName returns the EMF name of a counter series, and false when the
// series belongs to another function.
func emfName(family string, labels []*dto.LabelPair, function string) (string, bool) {
	name := strings.TrimSuffix(strings.TrimPrefix(family, "herald_"), "_total")
	for _, l := range labels {
		if l.GetName() == "function" {
			if l.GetValue() != function {
				return "", false
			}
			continue
		}
		name += "_" + l.GetValue()
	}
	return name, true
}

// observe keeps latency d of series name for the next FlushEMF.
func (m *Metrics) observe(function, name string, d time.Duration) {
	if !m.cfg.EMF {
		return
	}
	m.emf.mu.Lock()
	defer m.emf.mu.Unlock()
	if m.emf.observed == nil {
		m.emf.observed = map[emfKey][]float64{}
	}
	k := emfKey{function, name}
	if len(m.emf.observed[k]) < maxObserved {
		m.emf.observed[k] = append(m.emf.observed[k], float64(d.Microseconds())/1000)
	}
}

// takeObserved removes and returns the latencies of function (and of no
// function) kept since the previous flush, by EMF name.
func (m *Metrics) takeObserved(function string) map[string][]float64 {
	out := map[string][]float64{}
	for k, vs := range m.emf.observed {
		if k.function == "" || k.function == function {
			out[k.name] = append(out[k.name], vs...)
			delete(m.emf.observed, k)
		}
	}
	return out
}

// emfDoc is one EMF line being built.
type emfDoc struct {
	metrics []emfMetric
	values  map[string]any
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

func (d *emfDoc) add(name, unit string, value any) {
	d.metrics = append(d.metrics, emfMetric{Name: name, Unit: unit})
	d.values[name] = value
}

// encode returns the document as one line: the _aws metadata, the function
// dimension and the metric values at the root.
func (d *emfDoc) encode(namespace, function string, now time.Time) ([]byte, error) {
	type directive struct {
		Namespace  string      `json:"Namespace"`
		Dimensions [][]string  `json:"Dimensions"`
		Metrics    []emfMetric `json:"Metrics"`
	}
	root := d.values
	root["function"] = function
	root["_aws"] = map[string]any{
		"Timestamp": now.UnixMilli(),
		"CloudWatchMetrics": []directive{{Namespace: namespace,
			Dimensions: [][]string{{"function"}}, Metrics: d.metrics}},
	}
	b, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("encode EMF line: %w", err)
	}
	return append(b, '\n'), nil
}
