package probe

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// input is one hostile input of TestAdversarial. It got through when try
// reports a breach, or when want is set and the answer's status is not in
// it. Edit want when behaviour legitimately changes.
type input struct {
	cat, name string
	want      []int
	try       func(e *env) result
}

// result is what trying an input observed.
type result struct {
	status int
	// breach, when set, says how the input got through beyond its status: a
	// blocked listener reached, a body leaked, an event lost.
	breach string
}

// Outcome classes.
var (
	unauthorized = []int{401}
	forbidden    = []int{403}
	notFound     = []int{404}
	invalid      = []int{422}
	tooLarge     = []int{413, 422}
	denied       = []int{403, 404, 405}
	listOK       = []int{200}
)

// categories are the report's rows, in order.
var categories = []string{"auth", "scope", "tenancy", "ssrf", "injection", "disclosure", "limits"}

// TestAdversarial drives a running Herald from outside, over HTTP only, with
// tables of hostile inputs by category, prints a table of inputs tried and
// inputs that got through (naming each), and fails if any got through.
func TestAdversarial(t *testing.T) {
	began := time.Now()
	e := newEnv(t)
	t.Logf("system and fixtures ready in %s", time.Since(began).Round(time.Millisecond))
	var all []input
	for _, cases := range []func(*env) []input{authInputs, scopeInputs, tenancyInputs, ssrfInputs,
		injectionInputs, disclosureInputs, limitsInputs} {
		all = append(all, cases(e)...)
	}
	tried, through := map[string]int{}, map[string][]string{}
	for _, in := range all {
		began := time.Now()
		res := in.try(e)
		if d := time.Since(began); d > 2*time.Second {
			t.Logf("slow input (%s): [%s] %s", d.Round(time.Millisecond), in.cat, in.name)
		}
		tried[in.cat]++
		if why := gotThrough(in, res); why != "" {
			through[in.cat] = append(through[in.cat], in.name+": "+why)
		}
	}
	report, n := table(tried, through)
	t.Log("\n" + report)
	if n > 0 {
		t.Errorf("%d inputs got through (table above)", n)
	}
}

// gotThrough says why an input got through, "" when it did not.
func gotThrough(in input, res result) string {
	var why []string
	if res.status >= 500 {
		why = append(why, fmt.Sprintf("server error %d", res.status))
	} else if in.want != nil && !slices.Contains(in.want, res.status) {
		why = append(why, fmt.Sprintf("answered %d, want %v", res.status, in.want))
	}
	if res.breach != "" {
		why = append(why, res.breach)
	}
	return strings.Join(why, "; ")
}

// table renders the report and counts the inputs that got through.
func table(tried map[string]int, through map[string][]string) (string, int) {
	var b strings.Builder
	total := 0
	fmt.Fprintf(&b, "%-12s %6s %12s\n", "category", "tried", "got through")
	for _, c := range categories {
		fmt.Fprintf(&b, "%-12s %6d %12d\n", c, tried[c], len(through[c]))
		total += len(through[c])
	}
	for _, c := range categories {
		for _, why := range through[c] {
			fmt.Fprintf(&b, "  [%s] %s\n", c, why)
		}
	}
	return b.String(), total
}

// statusOf is a try that only sends a request and reports its status.
func statusOf(f func(e *env) answer) func(e *env) result {
	return func(e *env) result { return result{status: f(e).status} }
}
