package local_test

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// Settings of the crash tests.
const (
	crashKills       = 5
	publishWorkers   = 4
	publishPerSecond = 300
	// drainTimeout bounds the wait, once publishing stops, for every
	// accepted event to arrive; drainStall ends it sooner when nothing has
	// arrived for that long (a lost event never comes).
	drainTimeout = 30 * time.Second
	drainStall   = 10 * time.Second
)

// TestCrashUnderLoad runs local mode in a child process on a data dir,
// publishes events over its admin API at a steady rate, kills it with
// SIGKILL at random moments (seeded; HERALD_CRASH_SEED replays a run) and
// starts it again on the same data dir, five times. After each start the
// webhook must still be there; in the end every event answered 202 must
// reach the receiver. Duplicates are allowed and counted. The summary goes
// to the test log and to a JSON file (HERALD_CRASH_REPORT, or
// crash_report.json here).
func TestCrashUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts local mode in child processes")
	}
	h := newCrashHarness(t, "SIGKILL")
	rng := rand.New(rand.NewPCG(h.rep.Seed, 0))
	for kill := 1; kill <= crashKills; kill++ {
		time.Sleep(400*time.Millisecond + time.Duration(rng.Int64N(int64(1100*time.Millisecond))))
		h.child.signal(syscall.SIGKILL)
		<-h.child.done
		h.restart()
	}
	time.Sleep(time.Second) // load on the last run too
	h.finish()
}

// TestGracefulStopUnderLoad is TestCrashUnderLoad with SIGTERM, once: the
// child exits 0 within its shutdown timeout (1 s) and some slack, and no
// accepted event is lost.
func TestGracefulStopUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("stops and restarts local mode in a child process")
	}
	h := newCrashHarness(t, "SIGTERM")
	time.Sleep(1500 * time.Millisecond)
	took, err := h.child.stop(syscall.SIGTERM, 10*time.Second)
	t.Logf("SIGTERM: exited after %v (%v)", took.Round(time.Millisecond), err)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == raceExitCode:
		t.Errorf("after SIGTERM: exit status %d: the race detector found data races in the child (reported below)", raceExitCode)
	case err != nil:
		t.Errorf("after SIGTERM: %v; its log:\n%s", err, tail(childLog(h.dir, 0)))
	}
	if limit := time.Second + 5*time.Second; took > limit {
		t.Errorf("SIGTERM: exited after %v, want within %v", took, limit)
	}
	h.restart()
	time.Sleep(500 * time.Millisecond)
	h.finish()
}

// raceExitCode is the exit status of a race-built binary that found races.
const raceExitCode = 66

// crashHarness is one crash test: a receiver, a publisher, and the child
// running now.
type crashHarness struct {
	t      *testing.T
	dir    string // logs; the data dir is under it
	env    map[string]string
	l      *ledger
	rcv    string // the receiver's URL
	pub    *publisher
	child  *child
	run    int
	hookID string
	rep    crashReport
}

// newCrashHarness starts the receiver, the first child with a webhook to the
// receiver, and the publisher on it.
func newCrashHarness(t *testing.T, signal string) *crashHarness {
	dir := t.TempDir()
	h := &crashHarness{t: t, dir: dir, env: childEnv(filepath.Join(dir, "data")), l: newLedger()}
	h.rep = crashReport{Test: t.Name(), Seed: crashSeed(t), Signal: signal, Stores: stores(t, h.env)}
	h.rcv = newCrashReceiver(t, h.l, h.rep.Seed).URL
	h.child = startChild(t, h.env, childLog(dir, 0))
	h.hookID = h.createHook()
	h.pub = startPublisher(h.l, publishWorkers, publishPerSecond)
	t.Cleanup(h.pub.stop)
	h.follow()
	return h
}

func (h *crashHarness) api() *contract.API {
	return contract.NewAPI(h.t, "http://"+h.child.addr, crashToken)
}

func (h *crashHarness) createHook() string {
	h.t.Helper()
	var hook contract.Webhook
	body := map[string]any{"name": "crash", "url": h.rcv + "/hook", "events": []string{"crash.*"},
		"validate": false, "max_in_flight": 50}
	if status := h.api().Do("POST", "/api/v1/admin/webhooks/", body, &hook); status != http.StatusCreated {
		h.t.Fatalf("create webhook: %d", status)
	}
	return hook.ID
}

// follow points the publisher at the current child and notes its run.
func (h *crashHarness) follow() {
	h.pub.follow(h.child.addr, h.run)
	h.rep.Runs = append(h.rep.Runs, runReport{Run: h.run, StartMS: h.child.started.Milliseconds()})
}

// restart starts the next child on the same data dir once the last one has
// exited, checks the webhook survived (making it again if not, so the count
// of lost events stays meaningful), and moves the publisher to it.
func (h *crashHarness) restart() {
	h.t.Helper()
	h.pub.pause()
	h.run++
	h.child = startChild(h.t, h.env, childLog(h.dir, h.run))
	if status := h.api().Do("GET", "/api/v1/admin/webhooks/"+h.hookID, nil, nil); status != http.StatusOK {
		h.rep.WebhookLost++
		h.t.Errorf("run %d: webhook %s gone after the restart (GET: %d)", h.run, h.hookID, status)
		h.hookID = h.createHook()
	}
	h.follow()
}

// finish stops publishing, waits for the accepted events to arrive, and
// reports.
func (h *crashHarness) finish() {
	h.t.Helper()
	h.pub.stop()
	begin := time.Now()
	last, lastChange := -1, time.Now()
	var n tally
	heraldtest.Poll(drainTimeout, func() bool { // the report says what is missing
		n = h.l.tally()
		if n.delivered != last {
			last, lastChange = n.delivered, time.Now()
		}
		return n.missing == 0 || time.Since(lastChange) > drainStall
	})
	h.rep.DrainMS = time.Since(begin).Milliseconds()
	h.rep.Kills = h.run
	h.rep.fill(n)
	h.rep.Recorded = h.recorded()
	if h.rep.WebhookLost == 0 && h.rep.Recorded < n.accepted {
		h.rep.Pass = false
		h.t.Errorf("the webhook lists %d deliveries, want one for each of the %d accepted events", h.rep.Recorded, n.accepted)
	}
	races, first := childRaces(h.dir, h.run)
	h.rep.ChildRaces = races
	h.rep.Pass = h.rep.Pass && races == 0
	h.rep.write(h.t)
	if races > 0 {
		h.t.Errorf("the race detector reported %d data races in the children; the first:\n%s", races, first)
	}
	if n.missing > 0 {
		h.t.Errorf("%d of %d accepted events never delivered (by run: %v); last run's log:\n%s",
			n.missing, n.accepted, n.missingByRun, tail(childLog(h.dir, h.run)))
	}
	if n.accepted == 0 {
		h.t.Error("no event accepted")
	}
}

// recorded is how many deliveries the last child lists for the webhook.
func (h *crashHarness) recorded() int {
	h.t.Helper()
	var page struct {
		Total int `json:"total"`
	}
	if status := h.api().Do("GET", "/api/v1/admin/webhooks/"+h.hookID+"/deliveries?per_page=1", nil, &page); status != http.StatusOK {
		h.t.Errorf("list deliveries: %d", status)
	}
	return page.Total
}

// crashSeed is HERALD_CRASH_SEED, or a new seed.
func crashSeed(t *testing.T) uint64 {
	if v := os.Getenv("HERALD_CRASH_SEED"); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("HERALD_CRASH_SEED=%q: %v", v, err)
		}
		return seed
	}
	return rand.Uint64()
}

// childRaces counts the data races the race detector reported in the logs of
// runs 0 to last, and returns the first report.
func childRaces(dir string, last int) (n int, first string) {
	const begin, end = "WARNING: DATA RACE", "=================="
	for run := 0; run <= last; run++ {
		b, _ := os.ReadFile(childLog(dir, run))
		text := string(b)
		n += strings.Count(text, begin)
		if i := strings.Index(text, begin); i >= 0 && first == "" {
			first = text[i:]
			if j := strings.Index(first, end); j >= 0 {
				first = first[:j]
			}
		}
	}
	return n, first
}
