package emulator_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/moto"
)

// Load and kill settings of TestKillDeliverLosesNothing.
const (
	killPublishers  = 8                // publishing goroutines
	killPublishRate = 40               // events per second, all publishers together
	killPublishFor  = 8 * time.Second  // how long the load lasts
	killCount       = 3                // SIGKILLs of the deliver process
	killDrainWait   = 90 * time.Second // bound on the wait for the last deliveries
	killToken       = "kill-test-token-0123456789abcdefghij"
	killSeedEnv     = "HERALD_KILL_SEED" // replays a run's kill moments
	killEventPrefix = "evt_kill_"
)

// TestKillDeliverLosesNothing runs the function binaries as separate
// processes against moto (the emulator mode). Under a steady publish load on
// the SNS ingest topic, it kills the deliver process with SIGKILL at random
// moments, several times, starting it again after each kill. Then it checks
// that every event SNS accepted (Publish returned no error) was delivered at
// least once, that the webhook is still there and enabled, and that every
// request was signed correctly; it reports the duplicate requests. The kill
// moments come from a seed, logged, which HERALD_KILL_SEED sets to replay a
// run's kill moments (the load's timing is the machine's).
func TestKillDeliverLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binaries")
	}
	t.Parallel()
	began := time.Now()
	seed := killSeed(t)
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)>>1|1))
	t.Logf("seed %d (%s=%d replays the kill moments)", seed, killSeedEnv, seed)

	endpoint := moto.Start(t)
	awsCfg := moto.Config(endpoint)
	created := createStack(t, awsCfg, "kill-")
	bin := bootstraps(t)
	addr := freeAddr(t)
	env := os.Environ()
	for k, v := range created.Env(endpoint, moto.Region) {
		env = append(env, k+"="+v)
	}
	// A job held by a killed deliver process comes back either when its
	// SQS visibility timeout (5 s, see createStack) runs out or when the
	// retry-scheduler's sweep (every second, 1 s grace) publishes it again
	// once the attempt's lease (delivery timeout + 5 s) has run out.
	env = append(env, "HERALD_ADDR="+addr, "HERALD_ADMIN_TOKEN="+killToken, "HERALD_ALLOW_PRIVATE_TARGETS=true",
		"HERALD_DELIVERY_TIMEOUT=2s", "HERALD_SWEEP_GRACE=1s", "HERALD_SWEEP_INTERVAL=1s",
		"HERALD_RETRY_SCHEDULE=1s,1s,1s", "HERALD_LOG_LEVEL=warn")
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(bin[name])
		cmd.Env, cmd.Stdout, cmd.Stderr = env, t.Output(), t.Output()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd
	}
	for _, f := range []string{"admin", "ingest", "retry-scheduler"} {
		start(f)
	}
	deliver := start("deliver")
	waitHealthy(t, "http://"+addr+"/healthz")

	r := contract.NewReceiver(t, "X-Herald-")
	api := contract.NewAPI(t, "http://"+addr, killToken)
	// The default of 10 attempts in flight per process is the bottleneck
	// on moto, where each attempt's store calls are slow; 50 keeps the drain
	// after the load short.
	wh := api.CreateWebhook(r, map[string]any{"max_in_flight": 50})
	t.Logf("stack up after %s", time.Since(began).Round(time.Millisecond))

	// The steady load: each publisher publishes on its own ticker, so the
	// rate holds while the deliver process is down. An event counts as
	// accepted only when Publish returned no error.
	ctx := context.Background()
	topic := aws.String(created.TopicARN["IngestTopic"])
	publisher := sns.NewFromConfig(awsCfg)
	var (
		mu       sync.Mutex
		accepted = map[string]bool{}
		rejected []string // errors of the publishes that were not accepted
	)
	publishStart := time.Now()
	var wg sync.WaitGroup
	for p := range killPublishers {
		wg.Go(func() {
			tick := time.NewTicker(time.Second * killPublishers / killPublishRate)
			defer tick.Stop()
			for i := 0; time.Since(publishStart) < killPublishFor; i++ {
				id := fmt.Sprintf("%s%d_%d", killEventPrefix, p, i)
				body := fmt.Sprintf(`{"event_id":%q,"event_type":"order.created","data":{"n":%d}}`, id, i)
				pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_, err := publisher.Publish(pctx, &sns.PublishInput{TopicArn: topic, Message: aws.String(body)})
				cancel()
				mu.Lock()
				if err == nil {
					accepted[id] = true
				} else {
					rejected = append(rejected, id+": "+err.Error())
				}
				mu.Unlock()
				<-tick.C
			}
		})
	}

	// The kills: one random moment in each of killCount equal slices of the
	// publishing window, away from its edges, so they are spread over the
	// load but not predictable. The deliver process is started again at
	// once after each.
	type kill struct {
		at        time.Duration // since publishing began
		delivered int           // requests the receiver had got by then
		queues    string        // the queues' depths just before the kill
	}
	queues := sqs.NewFromConfig(awsCfg)
	depths := func() string {
		var b strings.Builder
		for _, q := range []string{"IngestQueue", "DeliverQueue"} {
			out, err := queues.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(created.QueueURL[q]),
				AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages,
					sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
			if err != nil {
				fmt.Fprintf(&b, " %s: %v;", q, err)
				continue
			}
			fmt.Fprintf(&b, " %s %s waiting, %s in flight;", q, out.Attributes["ApproximateNumberOfMessages"],
				out.Attributes["ApproximateNumberOfMessagesNotVisible"])
		}
		return strings.TrimSuffix(strings.TrimSpace(b.String()), ";")
	}
	var kills []kill
	window := killPublishFor - time.Second
	slot := window / killCount
	for k := range killCount {
		at := 500*time.Millisecond + time.Duration(k)*slot + time.Duration(rng.Int64N(int64(slot)))
		time.Sleep(time.Until(publishStart.Add(at)))
		q := depths()
		if err := deliver.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill %d: %v", k+1, err)
		}
		_ = deliver.Wait()
		kills = append(kills, kill{at: time.Since(publishStart), delivered: len(r.Got()), queues: q})
		deliver = start("deliver")
	}
	wg.Wait()
	publishedFor := time.Since(publishStart)
	atStop, depthsAtStop := len(r.Got()), depths()
	mu.Lock()
	nAccepted, nRejected := len(accepted), len(rejected)
	mu.Unlock()
	for i, k := range kills {
		t.Logf("kill %d at %s: %d requests delivered by then; %s", i+1, k.at.Round(time.Millisecond), k.delivered, k.queues)
	}
	t.Logf("published for %s: %d accepted (%.0f/s), %d not accepted; %d requests delivered by then; %s",
		publishedFor.Round(time.Millisecond), nAccepted, float64(nAccepted)/publishedFor.Seconds(), nRejected,
		atStop, depthsAtStop)
	for _, e := range rejected[:min(len(rejected), 5)] {
		t.Logf("not accepted: %s", e)
	}
	if nAccepted == 0 {
		t.Fatal("no event was accepted")
	}

	// Every accepted event delivered at least once, within the bound.
	var (
		seen    map[string]int
		missing []string
		got     []contract.Received
	)
	heraldtest.Poll(killDrainWait, func() bool { // the report below says what is missing
		got = r.Got()
		seen = map[string]int{}
		for _, g := range got {
			seen[g.Header.Get("webhook-id")]++
		}
		missing = missing[:0]
		for id := range accepted {
			if seen[id] == 0 {
				missing = append(missing, id)
			}
		}
		return len(missing) == 0
	})
	drained := time.Since(publishStart) - publishedFor

	// The counts. A request for an event whose publish failed (it may still
	// have reached the topic) is not an accepted event's, but not wrong.
	dups, extra, unsigned := 0, 0, 0
	for id, c := range seen {
		dups += c - 1
		if !accepted[id] {
			extra++
		}
	}
	for _, g := range got {
		if !g.Verified || !g.HexOK {
			unsigned++
		}
	}
	delivered := len(seen) - extra
	t.Logf("accepted %d, delivered %d (unique), missing %d, duplicate requests %d, requests %d, "+
		"delivered though not accepted %d, kills %d, seed %d; drained %s after publishing stopped, %s in all",
		nAccepted, delivered, len(missing), dups, len(got), extra, len(kills), seed,
		drained.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))

	// The webhook survived the kills: still there, still enabled.
	var view struct {
		ID             string `json:"id"`
		Enabled        bool   `json:"enabled"`
		DisabledReason string `json:"disabled_reason"`
	}
	if status := api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID, nil, &view); status != http.StatusOK {
		t.Errorf("webhook %s after the kills: status %d", wh.ID, status)
	} else if view.ID != wh.ID || !view.Enabled || view.DisabledReason != "" {
		t.Errorf("webhook %s after the kills: %+v", wh.ID, view)
	}
	if unsigned > 0 {
		t.Errorf("%d of %d requests failed signature verification", unsigned, len(got))
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Fatalf("%d of %d accepted events never delivered within %s after publishing stopped (seed %d): %s",
			len(missing), nAccepted, killDrainWait, seed, strings.Join(missing[:min(len(missing), 50)], " "))
	}
}

// killSeed is HERALD_KILL_SEED when set, otherwise the clock.
func killSeed(t *testing.T) int64 {
	t.Helper()
	if s := os.Getenv(killSeedEnv); s != "" {
		seed, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", killSeedEnv, s, err)
		}
		return seed
	}
	return time.Now().UnixNano()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	heraldtest.Eventually(t, 60*time.Second, func() bool {
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "%s not healthy", url)
}
