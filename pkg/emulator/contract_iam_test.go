package emulator_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/lambdart"
)

// What TestContractUnderTheirRoles plays of AWS's own timing.
const (
	// contractESMIdle is how long an event source mapping waits after an
	// empty poll (short polls; see emulator.Created.Env on moto's long
	// polls).
	contractESMIdle = 200 * time.Millisecond
	// contractVisibility is the queues' visibility timeout in the test, as
	// TestContractEmulator's createStack sets it: a message moto loses
	// between a poll and its answer, or one a function reports failed,
	// comes back in seconds, not after the template's three or six
	// minutes, beyond the suite's waits.
	contractVisibility = "10"
)

// contractSchedules are the scheduled functions' rates in the test: the
// template's rate(1 minute) and rate(5 minutes), made 12 and 30 times
// faster, so each runs, under its role, several times in most cases while
// deliveries are made. The suite needs neither for its timing: its retries
// of a second or two go through SQS's delay, and TestContractEmulator's
// local mode sweeps once a minute. Faster rates cost more than they show:
// on moto, with the proxy under -race, a run takes seconds (32 and 64
// queries, one per shard and index), and back-to-back runs slow every case.
var contractSchedules = map[string]time.Duration{"retry-scheduler": 5 * time.Second, "expiry-notifier": 10 * time.Second}

// TestContractUnderTheirRoles runs the whole contract suite against the five
// real Lambda bootstraps, each under its own IAM role, as
// TestFunctionsUnderTheirRoles runs them (newIAMHarness): each case gets a
// stack of the SAM template of its own on one moto_server, with the suite's
// retry schedule and header prefix as the stack's RetrySchedule and
// HeaderPrefix parameters, every AWS call of a function checked against its
// role by the proxy. While a case runs, each event source mapping polls its
// queue in a loop of its own and the retry-scheduler and expiry-notifier run
// on a fast schedule (contractSchedules). The suite reaches the admin API
// through the admin function's Function URL (lambdart.FunctionURL), with the
// admin token from Secrets Manager; it publishes raw messages to the SNS
// ingest topic; it counts ingest's handled and malformed messages from the
// function's EMF lines, as CloudWatch does. A call a role denies fails the
// case, naming the function, the action and the resource. The peak RSS of
// each function, the highest over the cases, is logged at the end.
func TestContractUnderTheirRoles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binaries")
	}
	began := time.Now()
	endpoint := startIAMMoto(t)
	bootstraps(t)
	var (
		mu    sync.Mutex
		peak  = map[string]int64{}
		cases atomic.Int64
	)
	t.Cleanup(func() {
		var parts []string
		for _, name := range functionNames {
			parts = append(parts, fmt.Sprintf("%s %d KiB", name, peak[name]))
		}
		t.Logf("peak RSS (VmHWM), the highest of %d cases: %s; the suite in %s", cases.Load(), strings.Join(parts, ", "),
			time.Since(began).Round(time.Millisecond))
	})
	contract.Run(t, func(t *testing.T, s contract.Settings) *contract.System {
		ctx := context.Background()
		ingest := &emfCounter{}
		steps := make([]string, len(s.RetrySchedule))
		for i, d := range s.RetrySchedule {
			steps[i] = d.String()
		}
		h := newIAMHarness(t, iamStack{Endpoint: endpoint, StackName: fmt.Sprintf("herald-c%d", cases.Add(1)),
			Parameters: map[string]string{"RetrySchedule": strings.Join(steps, ","), "HeaderPrefix": s.HeaderPrefix},
			Output:     map[string]io.Writer{"ingest": ingest},
			PeakRSS: func(m map[string]int64) {
				mu.Lock()
				defer mu.Unlock()
				for k, v := range m {
					peak[k] = max(peak[k], v)
				}
			}})
		h.shortVisibility(ctx, contractVisibility)
		h.background(contractESMIdle, contractSchedules)
		door := httptest.NewServer(lambdart.FunctionURL(h.fns["admin"].proc))
		t.Cleanup(door.Close)
		return &contract.System{
			BaseURL: door.URL,
			Token:   h.adminToken(ctx),
			Publish: h.publishRaw,
			IngestCounts: func() (int64, int64) {
				return ingest.sum("messages_done"), ingest.sum("messages_malformed")
			},
		}
	})
}

// shortVisibility sets the visibility timeout of the queues the functions
// receive from (as the administrator).
func (h *iamHarness) shortVisibility(ctx context.Context, seconds string) {
	queues := map[string]bool{}
	for _, name := range functionNames {
		for _, src := range h.eventSources(name) {
			queues[src.QueueURL] = true
		}
	}
	client := sqs.NewFromConfig(h.admin)
	for _, u := range slices.Sorted(maps.Keys(queues)) {
		if _, err := client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(u),
			Attributes: map[string]string{"VisibilityTimeout": seconds}}); err != nil {
			h.t.Fatal(err)
		}
	}
}
