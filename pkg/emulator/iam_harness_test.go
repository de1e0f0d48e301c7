package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"gocloud.dev/runtimevar"
	_ "gocloud.dev/runtimevar/awssecretsmanager"

	"github.com/heraldhq/herald/pkg/iamcheck"
	"github.com/heraldhq/herald/pkg/lambdart"
	"github.com/heraldhq/herald/pkg/moto"
	"github.com/heraldhq/herald/pkg/samstack"
)

// iamAuditEnv, when set, makes the tests under the functions' roles forward
// denied calls instead of refusing them, so one run lists every call the
// roles miss (the test still fails, naming them).
const iamAuditEnv = "HERALD_IAM_AUDIT"

// iamLogsEnv, when set, sends the functions' logs to the test output; set
// to a level (debug, info, warn, error), it sets their HERALD_LOG_LEVEL too.
const iamLogsEnv = "HERALD_IAM_LOGS"

// logicalIDs are the functions' logical ids in template.yaml.
var logicalIDs = map[string]string{"admin": "AdminFunction", "ingest": "IngestFunction", "deliver": "DeliverFunction",
	"retry-scheduler": "RetrySchedulerFunction", "expiry-notifier": "ExpiryNotifierFunction"}

// startIAMMoto starts the moto_server the tests under the functions' roles
// create their stacks on: it knows AWS's managed policies (the template's
// roles attach none today, but samstack reads what a role has).
func startIAMMoto(t *testing.T) string {
	return moto.StartEnv(t, "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
}

// iamStack says which stack an iamHarness creates.
type iamStack struct {
	// Endpoint is moto_server's (startIAMMoto).
	Endpoint string
	// StackName is unique per moto_server: the template names its log
	// groups, secrets, alias and schedules after it.
	StackName string
	// Parameters are the stack's parameters beside AllowedTargetCidrs
	// (127.0.0.0/8: the receivers are on loopback).
	Parameters map[string]string
	// Output, by function name, gets that function's output (logs and EMF
	// lines), beside the test output with HERALD_IAM_LOGS set.
	Output map[string]io.Writer
	// PeakRSS, when set, gets each function's peak RSS in KiB when the
	// test ends (they are logged either way).
	PeakRSS func(map[string]int64)
}

// iamHarness holds the stack, the proxy and the running functions of a test
// under the functions' roles.
type iamHarness struct {
	t        *testing.T
	admin    aws.Config // the emulator's administrator: creates the stack, plays upstream publishers
	stack    *samstack.Stack
	proxy    *iamcheck.Proxy
	endpoint string // the checking proxy
	fns      map[string]*iamFunction
	began    time.Time
}

type iamFunction struct {
	spec *samstack.Function
	proc *lambdart.Function
	esm  *sqs.Client // the event source mapping's client, under the function's role
}

// newIAMHarness creates the SAM template's stack on moto (samstack), puts a
// checking proxy (iamcheck) in front of moto with each function's role's
// statements, and starts the five bootstraps through lambdart, each with the
// stack's environment, credentials of its own role and the proxy as its AWS
// endpoint, and waits for their init. When the test ends, it logs each
// function's calls by action and its peak RSS, and fails the test with
// every call a role denied, naming the function, the action and the
// resource.
func newIAMHarness(t *testing.T, c iamStack) *iamHarness {
	t.Helper()
	ctx := context.Background()
	bins := bootstraps(t)
	h := &iamHarness{t: t, admin: moto.Config(c.Endpoint), fns: map[string]*iamFunction{}, began: time.Now()}
	params := map[string]string{"AllowedTargetCidrs": "127.0.0.0/8"}
	maps.Copy(params, c.Parameters)
	stack, err := samstack.Create(ctx, samstack.Config{AWS: h.admin, Template: "../../template.yaml",
		Translator: "../../scripts/samtranslate/translate.py", StackName: c.StackName, Parameters: params})
	if err != nil {
		t.Fatal(err)
	}
	h.stack = stack
	t.Logf("stack %s created in %s: %d resources; pruned for moto: %s; parameters the template does not declare: %v",
		c.StackName, time.Since(h.began).Round(time.Millisecond), len(stack.Resources),
		strings.Join(slices.Sorted(maps.Keys(stack.Pruned)), ", "), stack.Ignored)

	h.proxy, err = iamcheck.New(iamcheck.Config{Upstream: c.Endpoint, AuditOnly: os.Getenv(iamAuditEnv) != "",
		Scope:    iamcheck.Scope{Region: stack.Region, Account: stack.Account, Names: stack.Names()},
		OnDenial: func(d iamcheck.Denial) { t.Logf("DENIED %s", d) }})
	if err != nil {
		t.Fatal(err)
	}
	checked := httptest.NewServer(h.proxy)
	t.Cleanup(checked.Close)
	h.endpoint = checked.URL
	t.Cleanup(func() { reportIAM(t, h.proxy) })

	for _, name := range functionNames {
		h.start(ctx, name, bins[name], c.Output[name])
	}
	// Runs before the processes are closed (cleanups run last first).
	t.Cleanup(func() {
		peak := h.peakRSS()
		if c.PeakRSS != nil {
			c.PeakRSS(peak)
		}
	})
	for _, name := range functionNames {
		select {
		case <-h.fns[name].proc.Ready():
			t.Logf("%s: init %s", name, h.fns[name].proc.InitDuration().Round(time.Millisecond))
		case <-h.fns[name].proc.Done():
			t.Fatalf("%s: exited during init: %v", name, h.fns[name].proc.Exited())
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: not ready after 30 s\n%s", name, h.fns[name].proc.Output())
		}
	}
	return h
}

// start assumes the function's role, grants its keys to the proxy, and
// starts its bootstrap with the stack's environment and those credentials.
func (h *iamHarness) start(ctx context.Context, name, bin string, extra io.Writer) {
	t := h.t
	spec := h.stack.Functions[logicalIDs[name]]
	if spec == nil {
		t.Fatalf("function %s (%s) is not in the stack", name, logicalIDs[name])
	}
	var statements []iamcheck.Statement
	for _, p := range slices.Sorted(maps.Keys(spec.Policies)) {
		s, err := iamcheck.ParsePolicy(p, spec.Policies[p])
		if err != nil {
			t.Fatal(err)
		}
		statements = append(statements, s...)
	}
	creds, arn, err := h.stack.Credentials(ctx, spec, name)
	if err != nil {
		t.Fatal(err)
	}
	h.proxy.Grant(creds.AccessKeyID, iamcheck.Principal{Name: name, ARN: arn, Statements: statements})
	env := maps.Clone(spec.Env)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"] =
		creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken
	env["AWS_ENDPOINT_URL"] = h.endpoint
	if slices.Contains(h.stack.Ignored, "AllowedTargetCidrs") {
		env["HERALD_ALLOWED_TARGET_CIDRS"] = "127.0.0.0/8" // the receivers are on loopback
	}
	var outs []io.Writer
	if v := os.Getenv(iamLogsEnv); v != "" {
		outs = append(outs, t.Output())
		if slices.Contains([]string{"debug", "info", "warn", "error"}, v) {
			env["HERALD_LOG_LEVEL"] = v
		}
	}
	if extra != nil {
		outs = append(outs, extra)
	}
	var out io.Writer
	if len(outs) > 0 {
		out = io.MultiWriter(outs...)
	}
	proc, err := lambdart.Start(lambdart.Config{Bootstrap: bin, Name: spec.Name, ARN: spec.ARN, Region: h.stack.Region,
		Timeout: spec.Timeout, MemoryMB: spec.MemoryMB, Env: env, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proc.Close() })
	f := &iamFunction{spec: spec, proc: proc}
	if len(spec.EventSources) > 0 {
		ec, earn, err := h.stack.Credentials(ctx, spec, name+"-poller")
		if err != nil {
			t.Fatal(err)
		}
		h.proxy.Grant(ec.AccessKeyID, iamcheck.Principal{Name: name + " event source mapping", ARN: earn, Statements: statements})
		cfg := moto.Config(h.endpoint)
		cfg.Credentials = credentials(ec)
		f.esm = sqs.NewFromConfig(cfg)
	}
	h.fns[name] = f
}

func credentials(c aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
}

// peakRSS reads and logs each running function's peak RSS (VmHWM), in KiB,
// against its MemorySize.
func (h *iamHarness) peakRSS() map[string]int64 {
	out := map[string]int64{}
	var parts []string
	for _, name := range functionNames {
		f := h.fns[name]
		kib, err := f.proc.PeakRSS()
		if err != nil {
			h.t.Logf("%s: no peak RSS: %v", name, err)
			continue
		}
		out[name] = kib
		parts = append(parts, fmt.Sprintf("%s %d KiB of %d MiB", name, kib, f.spec.MemoryMB))
	}
	h.t.Logf("peak RSS (VmHWM) after %s: %s", time.Since(h.began).Round(time.Millisecond), strings.Join(parts, ", "))
	return out
}

// reportIAM logs every principal's calls by action and fails the test with
// the denied calls, if any.
func reportIAM(t *testing.T, proxy *iamcheck.Proxy) {
	for _, p := range proxy.Principals() {
		t.Logf("calls of %s: %s", p, formatCounts(proxy.Counts(p)))
	}
	if d := proxy.Denials(); len(d) > 0 {
		var b strings.Builder
		seen := map[string]int{}
		var order []string
		for _, x := range d {
			k := x.String()
			if seen[k] == 0 {
				order = append(order, k)
			}
			seen[k]++
		}
		for _, k := range order {
			fmt.Fprintf(&b, "\n  %s ×%d", k, seen[k])
		}
		t.Errorf("%d calls denied by the functions' roles (function: action on resource):%s", len(d), b.String())
	}
}

func formatCounts(c map[string]int) string {
	keys := slices.Sorted(maps.Keys(c))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, ", ")
}

// adminToken is the admin API's bootstrap token, wherever the stack puts it:
// the admin function's HERALD_ADMIN_TOKEN, or the Secrets Manager secret its
// HERALD_ADMIN_TOKEN_URL names (awssecretsmanager://<name>?decoder=string),
// read with the administrator's credentials.
func (h *iamHarness) adminToken(ctx context.Context) string {
	t := h.t
	env := h.fns["admin"].spec.Env
	if tok := env["HERALD_ADMIN_TOKEN"]; tok != "" {
		return tok
	}
	u := env["HERALD_ADMIN_TOKEN_URL"]
	if u == "" {
		t.Fatal("the admin function has neither HERALD_ADMIN_TOKEN nor HERALD_ADMIN_TOKEN_URL")
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("HERALD_ADMIN_TOKEN_URL %q: %v", u, err)
	}
	q := parsed.Query()
	q.Set("region", h.admin.Region)
	q.Set("endpoint", aws.ToString(h.admin.BaseEndpoint))
	parsed.RawQuery = q.Encode()
	v, err := runtimevar.OpenVariable(ctx, parsed.String())
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	defer v.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	snap, err := v.Latest(ctx)
	if err != nil {
		if last := v.CheckHealth(); last != nil {
			err = last
		}
	}
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	tok, ok := snap.Value.(string)
	if !ok || tok == "" {
		t.Fatalf("%s: not a string secret (%T)", u, snap.Value)
	}
	return tok
}

// publishRaw publishes body to the SNS ingest topic, as an upstream system
// does (with the administrator's credentials: upstream publishers are not
// Herald's functions).
func (h *iamHarness) publishRaw(ctx context.Context, body []byte) error {
	_, err := sns.NewFromConfig(h.admin).Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(h.stack.Resources["IngestTopic"].Physical), Message: aws.String(string(body))})
	return err
}

// eventSources are the function's SQS event source mappings.
func (h *iamHarness) eventSources(name string) []lambdart.EventSource {
	var srcs []lambdart.EventSource
	for _, es := range h.fns[name].spec.EventSources {
		srcs = append(srcs, lambdart.EventSource{QueueURL: es.QueueURL, QueueARN: es.QueueARN, Region: h.stack.Region,
			BatchSize: es.BatchSize, ReportBatchItemFailures: es.ReportBatchItemFailures})
	}
	return srcs
}

// scheduledEvent is the EventBridge scheduled event the scheduled functions
// are invoked with (events/schedule.json).
func scheduledEvent(t *testing.T) []byte {
	t.Helper()
	payload, err := os.ReadFile("../../events/schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	return payload
}

// invokeOnce invokes the function with payload within its timeout; a
// function error is an error.
func (h *iamHarness) invokeOnce(ctx context.Context, name string, payload []byte) error {
	f := h.fns[name]
	ctx, cancel := context.WithTimeout(ctx, f.spec.Timeout)
	defer cancel()
	res, err := f.proc.Invoke(ctx, payload)
	if err != nil {
		return err
	}
	if res.Error != nil {
		return fmt.Errorf("%w\n%s", res.Error, f.proc.Output())
	}
	return nil
}

// background plays what AWS does on its own while a test runs, until the
// test ends: each event source mapping of each function polls its queue in a
// loop of its own (short polls, idle waits of esmIdle between empty ones;
// one batch at a time, as a mapping at MaximumConcurrency 1), and each
// scheduled function is invoked at once and then every period given
// (EventBridge Scheduler's rate, made faster). A batch that fails as a whole, a poll that fails, or a
// scheduled run that fails fails the test; a message a function reports
// failed is logged (it comes back after its visibility timeout, as on AWS).
func (h *iamHarness) background(esmIdle time.Duration, schedules map[string]time.Duration) {
	t := h.t
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var stopping atomic.Bool
	fail := func(format string, args ...any) {
		if !stopping.Load() {
			t.Errorf(format, args...)
		}
	}
	for _, name := range functionNames {
		f := h.fns[name]
		for _, src := range h.eventSources(name) {
			wg.Go(func() {
				for ctx.Err() == nil {
					b, err := lambdart.PollSQS(ctx, f.proc, f.esm, src)
					switch {
					case ctx.Err() != nil:
						return
					case err != nil:
						fail("%s event source mapping of %s: %v", name, src.QueueARN, err)
						if f.proc.Exited() != nil {
							return
						}
					case b.Result != nil && b.Result.Error != nil:
						fail("%s failed a batch of %d from %s: %v\n%s", name, b.Received, src.QueueARN, b.Result.Error,
							f.proc.Output())
					case len(b.Failed) > 0:
						t.Logf("%s reported %d of %d messages from %s failed (back after the visibility timeout): %s",
							name, len(b.Failed), b.Received, src.QueueARN, b.Result.Payload)
					}
					if err != nil || b.Received == 0 {
						select {
						case <-ctx.Done():
						case <-time.After(esmIdle):
						}
					}
				}
			})
		}
	}
	payload := scheduledEvent(t)
	type runs struct {
		n    int
		took time.Duration
	}
	ran := make(map[string]*runs, len(schedules))
	for name, every := range schedules {
		r := &runs{}
		ran[name] = r
		wg.Go(func() {
			// The first run at once, so each function runs in every test
			// however short; a run longer than the rate delays the next (a
			// ticker drops ticks), as reserved concurrency 1 does.
			tick := time.NewTicker(every)
			defer tick.Stop()
			for first := true; ; first = false {
				if !first {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
				}
				began := time.Now()
				err := h.invokeOnce(ctx, name, payload)
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					fail("scheduled run of %s: %v", name, err)
				}
				r.n++
				r.took += time.Since(began)
			}
		})
	}
	t.Cleanup(func() {
		stopping.Store(true)
		cancel()
		wg.Wait()
		for _, name := range slices.Sorted(maps.Keys(ran)) {
			if r := ran[name]; r.n > 0 {
				t.Logf("%s: %d scheduled runs (every %s), %s each on average", name, r.n, schedules[name],
					(r.took / time.Duration(r.n)).Round(time.Millisecond))
			}
		}
	})
}

// emfCounter sums the counters of the CloudWatch embedded metric format
// lines a function writes (as CloudWatch does from its logs), passing the
// rest of its output by.
type emfCounter struct {
	mu      sync.Mutex
	partial []byte
	sums    map[string]float64
}

func (c *emfCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.partial = append(c.partial, p...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		c.line(c.partial[:i])
		c.partial = c.partial[i+1:]
	}
	return len(p), nil
}

// line adds the numeric root members of an EMF line (one with _aws) to the
// sums.
func (c *emfCounter) line(l []byte) {
	if !bytes.HasPrefix(l, []byte(`{"_aws"`)) && !bytes.Contains(l, []byte(`"_aws":`)) {
		return
	}
	var doc map[string]any
	if json.Unmarshal(l, &doc) != nil || doc["_aws"] == nil {
		return
	}
	if c.sums == nil {
		c.sums = map[string]float64{}
	}
	for k, v := range doc {
		if n, ok := v.(float64); ok {
			c.sums[k] += n
		}
	}
}

// sum is the total of metric name so far.
func (c *emfCounter) sum(name string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(c.sums[name])
}
