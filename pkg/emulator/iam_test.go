package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/lambdart"
	"github.com/heraldhq/herald/pkg/store"
)

// TestFunctionsUnderTheirRoles runs the five real Lambda bootstraps, each
// under its own IAM role, against the SAM template's stack on moto: the
// template translated by aws-sam-translator and created by moto's
// CloudFormation (samstack), each function's environment and role read back
// from the stack, credentials from sts:AssumeRole of the role, every AWS call
// of a function checked against its role's statements by a proxy in front of
// moto (iamcheck: moto's own enforcement checks most services against
// resource "*" only), and each bootstrap fed Lambda events through a Runtime
// API fixture (lambdart), SQS event source mappings played with the
// function's role. The steps: a webhook created through the admin function's
// Function URL; an event published to the SNS ingest topic; ingest handling
// the SQS message; deliver sending the job to a receiver that verifies it with
// the official Standard Webhooks library; a 500 recorded in the webhook's
// health fields; a 410 disabling the webhook; a retry-scheduler run moving a
// step longer than SQS's delay from the due-time table to the queue; an
// expiry-notifier run. Any call a role does not allow fails the test, naming
// the function, the action and the resource; the calls each function made are
// logged by action (set HERALD_IAM_AUDIT=1 to see every missing permission in
// one run, HERALD_IAM_LOGS=1 for the functions' logs), and so is each
// bootstrap's peak RSS.
func TestFunctionsUnderTheirRoles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binaries")
	}
	// Not parallel: on two cores, five bootstraps and a moto_server of its
	// own beside the contract suite's slow moto enough to lose SQS messages
	// for longer than that suite waits.
	began := time.Now()
	ctx := context.Background()
	endpoint := startIAMMoto(t)
	bootstraps(t)
	built := time.Since(began)
	h := newIAMHarness(t, iamStack{Endpoint: endpoint, StackName: "herald-iam",
		// Re-validation on: the expiry-notifier's run (step h) reads the
		// webhooks under its role.
		Parameters: map[string]string{"RevalidateInterval": "1m"}})
	stack, admin := h.stack, h.admin
	t.Logf("set up in %s (bootstraps built in %s)", time.Since(began).Round(time.Millisecond), built.Round(time.Millisecond))

	// (a) A webhook, created through the admin function's Function URL.
	door := httptest.NewServer(lambdart.FunctionURL(h.fns["admin"].proc))
	t.Cleanup(door.Close)
	api := contract.NewAPI(t, door.URL, h.adminToken(ctx))
	recv := contract.NewReceiver(t, "X-Herald-", http.StatusOK, http.StatusInternalServerError, http.StatusGone)
	var wh contract.Webhook
	h.step("a: create a webhook through the admin function", func() {
		// A step longer than SQS's 900 s delay goes through the due-time
		// table: the retry-scheduler moves it (step g).
		wh = api.CreateWebhook(recv, map[string]any{"events": []string{"order.*"}, "retry_schedule": []string{"901s"}})
		// The admin function announced it (webhook.endpoint.created) on the
		// ingest topic; ingest takes it, matching no webhook.
		h.drain(ctx, "ingest")
	})

	// (b)–(d) An event published to SNS, ingested, delivered and verified.
	sent := h.counts()
	h.step("b-d: publish to SNS, ingest, deliver", func() {
		h.publish(ctx, "evt_iam_1")
		h.drain(ctx, "ingest")
		h.drainUntil(ctx, "deliver", func() bool { return len(recv.Got()) >= 1 })
		got := recv.Got()[0]
		if !got.Verified || got.Header.Get("webhook-id") != "evt_iam_1" {
			t.Fatalf("delivery: verified by the Standard Webhooks library %v, webhook-id %q", got.Verified, got.Header.Get("webhook-id"))
		}
	})
	h.logDelta("one event to one webhook, delivered", sent)

	// (e) A 500: the failure is recorded with the webhook's health fields.
	sent = h.counts()
	h.step("e: a failure recorded in the health fields", func() {
		h.publish(ctx, "evt_iam_2")
		h.drain(ctx, "ingest")
		h.drainUntil(ctx, "deliver", func() bool { return len(recv.Got()) >= 2 })
		var view struct {
			ConsecutiveFailures int64      `json:"consecutive_failures"`
			FailingSince        *time.Time `json:"failing_since"`
		}
		if st := api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID, nil, &view); st != http.StatusOK {
			t.Fatalf("get webhook: %d", st)
		}
		if view.ConsecutiveFailures != 1 || view.FailingSince == nil {
			t.Fatalf("after a 500: consecutive_failures %d, failing_since %v; want 1 and a time", view.ConsecutiveFailures, view.FailingSince)
		}
	})
	failedAt := time.Now()
	h.logDelta("one event to one webhook, a 500 recorded, the retry put in the due-time table (and the admin's GET)", sent)

	// (f) A 410 disables the webhook.
	sent = h.counts()
	h.step("f: a 410 disables the webhook", func() {
		h.publish(ctx, "evt_iam_3")
		h.drain(ctx, "ingest")
		h.drainUntil(ctx, "deliver", func() bool { return len(recv.Got()) >= 3 })
		var view struct {
			Enabled        bool   `json:"enabled"`
			DisabledReason string `json:"disabled_reason"`
		}
		if st := api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID, nil, &view); st != http.StatusOK {
			t.Fatalf("get webhook: %d", st)
		}
		if view.Enabled || view.DisabledReason == "" {
			t.Fatalf("after a 410: enabled %v, disabled_reason %q", view.Enabled, view.DisabledReason)
		}
	})

	h.logDelta("one event to one webhook, a 410 disabling it (and the admin's GET)", sent)

	// (g) The retry of evt_iam_2, 901 s after its failure, sits in the
	// due-time table; once it is within SQS's 900 s, a retry-scheduler run
	// publishes it with the remaining delay.
	h.step("g: a retry-scheduler run moves a long step to the queue", func() {
		table := stack.Resources["ScheduleTable"].Physical
		if n := h.items(ctx, admin, table); n == 0 {
			t.Fatalf("no entry in the due-time table %s after a failure with a 901 s step", table)
		}
		time.Sleep(time.Until(failedAt.Add(1500 * time.Millisecond)))
		heraldtest.Eventually(t, 20*time.Second, func() bool {
			if h.items(ctx, admin, table) == 0 {
				return true
			}
			h.invokeSchedule(ctx, "retry-scheduler")
			return false
		}, "the retry-scheduler left the entry in %s", table)
		delayed := h.queueAttr(ctx, admin, "DeliverQueue", sqstypes.QueueAttributeNameApproximateNumberOfMessagesDelayed)
		if delayed < 1 {
			t.Fatalf("deliver queue: %d delayed messages after the move, want 1", delayed)
		}
	})

	// (i) A reserved event type published to SNS by an upstream system is
	// refused: only Herald's roles may send to the own-events queue, the one
	// channel ingest takes them from. The admin function's own
	// webhook.endpoint.created events come through it.
	h.step("i: a reserved event type from SNS is refused, Herald's own is taken", func() {
		own := contract.NewReceiver(t, "X-Herald-", http.StatusOK)
		api.CreateWebhook(own, map[string]any{"events": []string{"webhook.**"}})
		h.drain(ctx, "ingest")
		forged := `{"event_id":"evt_forged","event_type":"webhook.endpoint.disabled","data":{"webhook_id":"` + wh.ID + `"}}`
		if err := h.publishRaw(ctx, []byte(forged)); err != nil {
			t.Fatal(err)
		}
		h.drain(ctx, "ingest")
		// Another webhook's creation: Herald's own event, which the watcher
		// gets, after the forged one was handled.
		api.CreateWebhook(contract.NewReceiver(t, "X-Herald-", http.StatusOK), map[string]any{"events": []string{"order.*"}})
		h.drain(ctx, "ingest")
		h.drainUntil(ctx, "deliver", func() bool { return len(own.Got()) >= 1 })
		h.drain(ctx, "deliver")
		var types []string
		for _, got := range own.Got() {
			if got.Header.Get("webhook-id") == "evt_forged" {
				t.Fatalf("the forged %s reached a receiver", got.Header.Get("X-Herald-Event"))
			}
			types = append(types, got.Header.Get("X-Herald-Event"))
		}
		if !slices.Contains(types, "webhook.endpoint.created") {
			t.Fatalf("the watcher got %v, want Herald's own webhook.endpoint.created", types)
		}
	})

	// (j) The admin API's paths the steps above and the contract suite
	// (TestContractUnderTheirRoles) leave out: applications, OAuth tokens, a
	// tenant's listing, stats, the event catalogue, validation, secret
	// rotations whose grace periods and expiries the expiry-notifier then
	// handles (step h).
	var deleteApp func()
	h.step("j: the other admin API paths", func() { deleteApp = otherAdminPaths(t, door.URL, api, h) })

	// (h) The expiry-notifier's scheduled run.
	h.step("h: an expiry-notifier run", func() { h.invokeSchedule(ctx, "expiry-notifier") })
	deleteApp()
	t.Logf("all steps in %s", time.Since(began).Round(time.Millisecond))
}

// step runs one step, logging how long it took.
func (h *iamHarness) step(name string, f func()) {
	h.t.Helper()
	began := time.Now()
	f()
	h.t.Logf("step %s: %s", name, time.Since(began).Round(time.Millisecond))
}

func (h *iamHarness) counts() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, p := range h.proxy.Principals() {
		out[p] = h.proxy.Counts(p)
	}
	return out
}

// logDelta logs the calls each principal made since before.
func (h *iamHarness) logDelta(what string, before map[string]map[string]int) {
	for p, now := range h.counts() {
		delta := map[string]int{}
		for a, n := range now {
			if d := n - before[p][a]; d > 0 {
				delta[a] = d
			}
		}
		if len(delta) > 0 {
			h.t.Logf("%s — calls of %s: %s", what, p, formatCounts(delta))
		}
	}
}

// publish publishes an order.created event to the SNS ingest topic, as an
// upstream system does.
func (h *iamHarness) publish(ctx context.Context, id string) {
	body := fmt.Sprintf(`{"event_id":%q,"event_type":"order.created","data":{"order":%q}}`, id, id)
	if err := h.publishRaw(ctx, []byte(body)); err != nil {
		h.t.Fatalf("publish %s: %v", id, err)
	}
}

// drain plays the function's event source mapping until its queue is empty.
func (h *iamHarness) drain(ctx context.Context, name string) {
	h.t.Helper()
	h.drainUntil(ctx, name, nil)
}

// drainUntil plays the function's event source mappings, in turn, until
// done holds (nil: until a poll of each receives nothing), each batch
// handled without a failure, for at most 30 s.
func (h *iamHarness) drainUntil(ctx context.Context, name string, done func() bool) {
	t := h.t
	t.Helper()
	f := h.fns[name]
	srcs := h.eventSources(name)
	if len(srcs) == 0 {
		t.Fatalf("%s has no event source mapping", name)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for i, empty := 0, 0; ; i++ {
		if done != nil && done() {
			return
		}
		b, err := lambdart.PollSQS(ctx, f.proc, f.esm, srcs[i%len(srcs)])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b.Result != nil && b.Result.Error != nil {
			t.Fatalf("%s failed a batch of %d: %v\n%s", name, b.Received, b.Result.Error, f.proc.Output())
		}
		if len(b.Failed) > 0 {
			t.Fatalf("%s reported %d of %d messages failed: %s\n%s", name, len(b.Failed), b.Received, b.Result.Payload,
				f.proc.Output())
		}
		if b.Received > 0 {
			empty = 0
			continue
		}
		if empty++; empty >= len(srcs) {
			if done == nil {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("%s: the queue is empty and the condition does not hold", name)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// invokeSchedule invokes a scheduled function with the EventBridge
// scheduled event of events/schedule.json.
func (h *iamHarness) invokeSchedule(ctx context.Context, name string) {
	h.t.Helper()
	if err := h.invokeOnce(ctx, name, scheduledEvent(h.t)); err != nil {
		h.t.Fatalf("%s: %v", name, err)
	}
}

// items counts the due-time entries of the schedule table (not the webhooks
// revision document it also holds).
func (h *iamHarness) items(ctx context.Context, admin aws.Config, table string) int {
	out, err := dynamodb.NewFromConfig(admin).Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table),
		Select: "COUNT", FilterExpression: aws.String("id <> :revision"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":revision": &ddbtypes.AttributeValueMemberS{Value: store.RevisionID}}})
	if err != nil {
		h.t.Fatalf("scan %s: %v", table, err)
	}
	return int(out.Count)
}

func (h *iamHarness) queueAttr(ctx context.Context, admin aws.Config, queue string, attr sqstypes.QueueAttributeName) int {
	out, err := sqs.NewFromConfig(admin).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(h.stack.Resources[queue].Physical), AttributeNames: []sqstypes.QueueAttributeName{attr}})
	if err != nil {
		h.t.Fatalf("%s attributes: %v", queue, err)
	}
	var n int
	_, _ = fmt.Sscan(out.Attributes[string(attr)], &n)
	return n
}

// otherAdminPaths calls the admin API's paths that no other step nor the
// contract suite calls, each expected to succeed, through the admin
// function under its role: an application (OAuth client) created, listed,
// read, its token issued and used for a tenant's webhooks, its secret
// rotated with an expiry, then deleted; a webhook's stats, the event type
// catalogue, a validation, a rotation of its secret with a short grace
// period and an expiry, so the expiry-notifier's run (step h) has a grace
// period ending and secrets nearing expiry to handle. It returns the
// application's deletion, for after that run.
func otherAdminPaths(t *testing.T, base string, api *contract.API, h *iamHarness) func() {
	t.Helper()
	ok := func(what string, status int) {
		t.Helper()
		if status < 200 || status > 299 {
			t.Fatalf("%s: %d", what, status)
		}
	}
	var doc map[string]any
	ok("GET /openapi.json", api.Do("GET", "/openapi.json", nil, &doc))

	apps := "/api/v1/admin/applications/"
	var app struct {
		ID     string `json:"id"`
		Secret string `json:"client_secret"`
	}
	ok("create an application", api.Do("POST", apps, map[string]any{"name": "ci", "tenant_id": "tnt_iam",
		"scopes": []string{"webhooks:read", "webhooks:write", "events:publish"}}, &app))
	ok("list applications", api.Do("GET", apps+"?per_page=10", nil, nil))
	ok("get an application", api.Do("GET", apps+app.ID, nil, nil))

	resp, err := http.PostForm(base+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app.ID}, "client_secret": {app.Secret}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || tok.AccessToken == "" {
		t.Fatalf("issue a token: %d, %v", resp.StatusCode, err)
	}
	tenant := contract.NewAPI(t, base, tok.AccessToken)
	recv := contract.NewReceiver(t, "X-Herald-", http.StatusOK)
	wh := tenant.CreateWebhook(recv, map[string]any{"events": []string{"order.*"}})
	ok("a tenant's webhooks", tenant.Do("GET", "/api/v1/admin/webhooks/?per_page=10", nil, nil))
	ok("a tenant's webhooks, by tenant_id", tenant.Do("GET", "/api/v1/admin/webhooks/?tenant_id=tnt_iam", nil, nil))
	hook := "/api/v1/admin/webhooks/" + wh.ID
	ok("stats", tenant.Do("GET", hook+"/stats", nil, nil))
	ok("the event type catalogue", api.Do("GET", "/api/v1/admin/webhooks/events", nil, nil))
	ok("validate", api.Do("POST", hook+"/validate", nil, nil))
	ok("pause", api.Do("POST", hook+"/pause", nil, nil))
	ok("resume", api.Do("POST", hook+"/resume", nil, nil))
	soon := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	ok("rotate a webhook's secret", api.Do("POST", hook+"/rotate-secret",
		map[string]any{"grace_period": "1s", "secret_expires_at": soon}, nil))
	ok("rotate an application's secret", api.Do("POST", apps+app.ID+"/rotate-secret",
		map[string]any{"grace_period": "1s", "secret_expires_at": soon}, nil))
	ok("list failed deliveries", api.Do("GET", hook+"/deliveries?status=failed", nil, nil))
	// The admin's events reach ingest through the own-events queue.
	h.drain(context.Background(), "ingest")
	h.drain(context.Background(), "deliver")
	time.Sleep(1100 * time.Millisecond) // the grace periods end
	return func() { ok("delete the application", api.Do("DELETE", apps+app.ID, nil, nil)) }
}
