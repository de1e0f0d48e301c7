package main

import (
	"fmt"
	"math"
	"strings"
)

// latencySVG draws each rate's latency distribution: the share of events
// (x, 0–100 %) delivered within a latency (y, milliseconds, log scale).
func latencySVG(runs []latency) string {
	const w, h, left, right, top, bottom = 720, 420, 70, 150, 30, 50
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	lo, hi := 0.1, 10.0 // decades of ms shown, widened to fit the data
	for _, r := range runs {
		if len(r.Sorted) > 0 {
			lo = math.Min(lo, math.Max(r.Sorted[0], 0.01))
			hi = math.Max(hi, r.Sorted[len(r.Sorted)-1])
		}
	}
	lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	y := func(ms float64) float64 {
		ms = math.Max(ms, lo)
		return float64(top) + ph*(1-(math.Log10(ms)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14">Herald local mode: publish→delivery latency by open-loop rate</text>`+"\n", left)
	for d := lo; d <= hi*1.001; d *= 10 {
		fmt.Fprintf(&b, `<line x1="%d" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%g ms</text>`+"\n",
			left, float64(left)+pw, y(d), y(d), left-6, y(d)+4, d)
	}
	for p := 0; p <= 100; p += 25 {
		x := float64(left) + pw*float64(p)/100
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%.0f" stroke="#ddd"/><text x="%.1f" y="%.0f" text-anchor="middle">%d%%</text>`+"\n",
			x, x, top, float64(top)+ph, x, float64(top)+ph+16, p)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">events delivered within the latency</text>`+"\n", float64(left)+pw/2, h-8)
	colors := []string{"#1f77b4", "#ff7f0e", "#d62728", "#2ca02c"}
	for i, r := range runs {
		col := colors[i%len(colors)]
		var pts []string
		for j, step := 0, max(1, len(r.Sorted)/400); j < len(r.Sorted); j += step {
			x := float64(left) + pw*float64(j)/float64(max(1, len(r.Sorted)-1))
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y(r.Sorted[j])))
		}
		if n := len(r.Sorted); n > 0 {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", float64(left)+pw, y(r.Sorted[n-1])))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", col, strings.Join(pts, " "))
		ly := top + 20*i + 10
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/><text x="%d" y="%d">%d events/s</text>`+"\n",
			w-right+15, w-right+35, ly, ly, col, w-right+40, ly+4, r.Rate)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
