package probe

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// Defaults of the property test, overridden by HERALD_PROPERTY_SEED and
// HERALD_PROPERTY_STEPS.
const (
	defaultSeed  = 20261202
	defaultSteps = 300
)

const hooksPath = "/api/v1/admin/webhooks/"

// TestTenancyProperty runs a seeded random sequence of admin API calls by
// ten applications bound to three tenants and two partners (and the
// bootstrap admin): creating, patching, reading, listing, rotating and
// deleting webhooks, publishing events, reading deliveries and their
// payloads. After every step an oracle checks, against a model kept from
// the answers, that no bound principal saw, changed or received (through
// its webhooks' receivers) a webhook, delivery or payload outside its
// binding. A failure prints the seed and the step to replay it with.
func TestTenancyProperty(t *testing.T) {
	seed, steps := envInt(t, "HERALD_PROPERTY_SEED", defaultSeed), envInt(t, "HERALD_PROPERTY_STEPS", defaultSteps)
	s := startSystem(t)
	r := &run{t: t, s: s, rng: rand.New(rand.NewPCG(uint64(seed), 0)), m: newModel(),
		recv: newReceiver(t, "http://127.0.0.1:1/"), seed: seed}
	r.cast = castOf(t, s)
	for r.step = 1; r.step <= steps; r.step++ {
		op := r.pickOp()
		a := r.cast[r.rng.IntN(len(r.cast))]
		op.do(r, a)
		r.checkReceipts()
	}
	r.settle()
	r.checkReceipts()
	if len(r.found) > 0 {
		t.Fatal(r.report(steps))
	}
	t.Logf("seed %d, no violation: %s", seed, r.stats(steps))
}

// run is one property-test run.
type run struct {
	t     testing.TB
	s     *system
	rng   *rand.Rand
	seed  int
	cast  []*actor
	m     *model
	recv  *receiver
	step  int
	keys  int
	found []violation
	// payloads counts the delivery payloads checked.
	payloads int
}

// flag records a violation at the current step.
func (r *run) flag(a *actor, kind, format string, args ...any) {
	who := "admin"
	if !a.root {
		who = a.name()
	}
	r.found = append(r.found, violation{step: r.step, kind: kind, detail: who + ": " + fmt.Sprintf(format, args...)})
}

// settle waits until the receiver has had nothing new for a moment:
// deliveries of the last events may still be on their way.
func (r *run) settle() {
	last, since := -1, time.Now()
	heraldtest.Poll(10*time.Second, func() bool {
		if n := r.recv.count(); n != last {
			last, since = n, time.Now()
		}
		return time.Since(since) > 500*time.Millisecond
	})
}

// report describes the violations: the seed and step to replay, counts by
// kind, and the first of them.
func (r *run) report(steps int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d violations; first at step %d. Replay: HERALD_PROPERTY_SEED=%d HERALD_PROPERTY_STEPS=%d go test -race -run TestTenancyProperty ./pkg/probe/\n",
		len(r.found), r.found[0].step, r.seed, steps)
	fmt.Fprintf(&b, "checked: %s\n", r.stats(steps))
	counts := map[string]int{}
	for _, v := range r.found {
		counts[v.kind]++
	}
	for k, n := range counts {
		fmt.Fprintf(&b, "  %-40s %d\n", k, n)
	}
	for i, v := range r.found {
		if i == 30 {
			fmt.Fprintf(&b, "  … %d more\n", len(r.found)-i)
			break
		}
		fmt.Fprintf(&b, "  %s\n", v)
	}
	return b.String()
}

// stats says how much the run checked.
func (r *run) stats(steps int) string {
	return fmt.Sprintf("%d steps, %d webhooks, %d events published, %d deliveries received, %d payloads read",
		steps, len(r.m.hooks), len(r.m.events), r.m.seen, r.payloads)
}

// envInt reads a positive integer from the environment, or def.
func envInt(t testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}
