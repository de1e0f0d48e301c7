package main

import (
	"fmt"
	"io"
	"strings"
)

// results is everything one run measured; it is written as results.json.
type results struct {
	Machine     string      `json:"machine"`
	Driver      string      `json:"driver"` // the ingest topic's URL scheme
	Concurrency int         `json:"concurrency"`
	Raw         throughput  `json:"raw_ceiling"`
	FanOut1     throughput  `json:"fan_out_1"`
	FanOut10    throughput  `json:"fan_out_10"`
	Latency     []latency   `json:"latency"`
	Retry       retryTiming `json:"retry"`
	Memory      memory      `json:"memory"`
	// HTTP are the figures of events published over the HTTP API (POST
	// /api/v1/events) to 10 webhooks.
	HTTP httpFigures `json:"http"`
	// InMemory are the throughput and latency figures again on local mode's
	// in-memory variant (mem:// collections, no journal).
	InMemory struct {
		FanOut1  throughput  `json:"fan_out_1"`
		FanOut10 throughput  `json:"fan_out_10"`
		Latency  []latency   `json:"latency"`
		HTTP     httpFigures `json:"http"`
	} `json:"in_memory"`
	Micro []micro `json:"micro"`
	Rows  []row   `json:"rows"`
}

// httpFigures are the figures of publishing over the HTTP API.
type httpFigures struct {
	FanOut10 throughput `json:"fan_out_10"`
	Latency  []latency  `json:"latency"`
}

// row is one line of the table.
type row struct {
	Measure string `json:"measure"`
	Result  string `json:"result"`
	Target  string `json:"target,omitempty"`
	Verdict string `json:"verdict,omitempty"` // PASS, MISS or empty
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// buildRows turns the results into the table, judging each figure that has
// a target.
func (r *results) buildRows() {
	add := func(measure, result, target string, ok *bool) {
		v := ""
		if ok != nil {
			v = verdict(*ok)
		}
		r.Rows = append(r.Rows, row{measure, result, target, v})
	}
	judge := func(b bool) *bool { return &b }
	if r.Raw.PerSecond > 0 {
		add(fmt.Sprintf("raw ceiling (plain client, %d workers)", r.Concurrency), rate(r.Raw), "", nil)
	}
	ratio := func(t throughput) float64 { return t.PerSecond / max(r.Raw.PerSecond, 1e-9) }
	cpu := func(t throughput) string {
		if t.CPUms == 0 {
			return ""
		}
		return fmt.Sprintf(", %.3f ms CPU", t.CPUms)
	}
	latencyRow := func(what string, l latency, target string, limit float64) {
		res := fmt.Sprintf("p50 %s, p99 %s, max %s ms", ms(l.P50ms), ms(l.P99ms), ms(l.MaxMs))
		if l.Delivered < l.Events {
			res += fmt.Sprintf(" (%d of %d delivered)", l.Delivered, l.Events)
		}
		if target == "" {
			add(what, res, "", nil)
			return
		}
		add(what, res, target, judge(l.P99ms <= limit && l.Delivered == l.Events))
	}
	// throughputRow adds the row of t, a phase of the run (-only may leave
	// it out), with its ratio to the raw ceiling when that was measured too
	// (and judged against half of it when half is set).
	throughputRow := func(what string, t throughput, half bool) {
		if t.PerSecond == 0 && t.Lost == 0 {
			return
		}
		if r.Raw.PerSecond == 0 {
			add(what, rate(t)+cpu(t), "", nil)
			return
		}
		res := fmt.Sprintf("%s, %.2f × raw%s", rate(t), ratio(t), cpu(t))
		if !half {
			add(what, res, "", nil)
			return
		}
		add(what, res, "≥ 0.50 × raw", judge(ratio(t) >= 0.5 && t.Lost == 0))
	}
	pipeline := func(mode string, fanOut1, fanOut10 throughput, lat []latency, h httpFigures) {
		throughputRow("Herald fan-out 1"+mode, fanOut1, false)
		throughputRow("Herald fan-out 10"+mode, fanOut10, true)
		for _, l := range lat {
			target := ""
			if l.Rate == 1000 {
				target = "p99 ≤ 10 ms"
			}
			latencyRow(fmt.Sprintf("latency at %d events/s%s", l.Rate, mode), l, target, 10)
		}
		throughputRow(fmt.Sprintf("HTTP publish, %d clients, fan-out 10%s", httpPublishers, mode), h.FanOut10, true)
		for _, l := range h.Latency {
			latencyRow(fmt.Sprintf("HTTP latency at %d events/s, fan-out %d%s", l.Rate, l.FanOut, mode), l, "p99 ≤ 25 ms", 25)
		}
	}
	pipeline(", durable (default)", r.FanOut1, r.FanOut10, r.Latency, r.HTTP)
	pipeline(", in-memory", r.InMemory.FanOut1, r.InMemory.FanOut10, r.InMemory.Latency, r.InMemory.HTTP)
	// The phases -only left out have no rows.
	if r.Retry.Events > 0 {
		add(fmt.Sprintf("retry error, %s step (%d of %d)", r.Retry.Step, r.Retry.Measured, r.Retry.Events),
			fmt.Sprintf("p50 %s, p99 %s ms", ms(r.Retry.P50ms), ms(r.Retry.P99ms)), "p99 ≤ 50 ms",
			judge(r.Retry.P99ms <= 50 && r.Retry.Measured == r.Retry.Events))
	}
	if m := r.Memory; m.Target > 0 {
		add(fmt.Sprintf("peak RSS, %d in flight (target %d)", m.PeakHeld, m.Target),
			fmt.Sprintf("%.0f MiB (baseline %.0f MiB)", mib(m.PeakRSS), mib(m.BaselineRSS)), "", nil)
		add("bytes per in-flight delivery", fmt.Sprintf("%.1f KiB RSS, %.1f KiB heap",
			m.RSSPerInFlight/1024, m.HeapPerInFlight/1024), "≤ 64 KiB", judge(m.PeakHeld > 0 && m.RSSPerInFlight <= 64<<10))
	}
	for _, b := range r.Micro {
		res := fmt.Sprintf("%.0f ns/op, %d B/op, %d allocs/op", b.NsPerOp, b.BytesPerOp, b.AllocsPerOp)
		if strings.HasPrefix(b.Name, "signature.BenchmarkSign") { // each hex mode
			add(b.Name+" (1 KiB)", res, "≤ 2 allocs/op", judge(b.AllocsPerOp <= 2))
		} else {
			add(b.Name, res, "", nil)
		}
	}
}

func rate(t throughput) string {
	s := fmt.Sprintf("%.0f deliveries/s", t.PerSecond)
	if t.Lost > 0 {
		s += fmt.Sprintf(" (%d lost)", t.Lost)
	}
	if t.BadSig > 0 {
		s += fmt.Sprintf(" (%d bad signatures)", t.BadSig)
	}
	return s
}

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// writeTable writes the rows as a Markdown table.
func writeTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| measure | result | target | |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.Measure, r.Result, r.Target, r.Verdict)
	}
}
