package awslambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdaurl"
	"gocloud.dev/pubsub/mempubsub"
	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/seal"
)

// sample decodes one of the sample invocation events in events/.
func sample(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

type nopEnqueuer struct{}

func (nopEnqueuer) Enqueue(context.Context, herald.Job, time.Time) error { return nil }

// TestSQSIngestSampleBatch runs the real ingest handler behind the SQS
// adapter on the sample batch: the raw-delivery and SNS-wrapped envelopes are
// stored, the malformed record is acknowledged and counted, and no record is
// reported for redelivery.
func TestSQSIngestSampleBatch(t *testing.T) {
	t.Parallel()
	var ev events.SQSEvent
	sample(t, "sqs-ingest-batch.json", &ev)
	evs := heraldtest.Collection(t)
	h, err := ingest.New(ingest.Config{Webhooks: heraldtest.Collection(t), Events: evs,
		Deliveries: heraldtest.Collection(t), Enqueuer: nopEnqueuer{}})
	if err != nil {
		t.Fatal(err)
	}
	stats := new(consume.Stats)
	resp, err := awslambda.SQS(h.Handle, awslambda.Config{Stats: stats, Logger: discard})(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("reported %+v for redelivery, want none", resp.BatchItemFailures)
	}
	if stats.Done.Load() != 2 || stats.Malformed.Load() != 1 {
		t.Errorf("done %d malformed %d, want 2 and 1", stats.Done.Load(), stats.Malformed.Load())
	}
	// The samples are ACME's events: stored under their id within its scope.
	for _, key := range []string{
		herald.EventKey("evt_sample_raw", "tnt_acme_prod", "ptn_acme"),
		herald.EventKey("evt_sample_sns", "tnt_acme_prod", ""),
	} {
		if err := evs.Get(context.Background(), &herald.Event{ID: key}); err != nil {
			t.Errorf("event %s not stored: %v", key, err)
		}
	}
}

// TestSQSReportsOnlyTransientFailures: of a batch, only the record whose
// handler failed transiently is reported; the malformed one is not.
func TestSQSReportsOnlyTransientFailures(t *testing.T) {
	t.Parallel()
	var ev events.SQSEvent
	sample(t, "sqs-deliver-batch.json", &ev)
	h := func(_ context.Context, body []byte) error {
		if _, err := herald.DecodeJob(body); err != nil {
			return err
		}
		return errors.New("store unavailable")
	}
	resp, err := awslambda.SQS(h, awslambda.Config{Logger: discard})(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "44444444-job" {
		t.Errorf("BatchItemFailures = %+v, want only 44444444-job", resp.BatchItemFailures)
	}
}

func TestScheduleSampleEvent(t *testing.T) {
	t.Parallel()
	var ev events.EventBridgeEvent
	sample(t, "schedule.json", &ev)
	ticks := 0
	ok := awslambda.Schedule(func(context.Context) error { ticks++; return nil }, awslambda.Config{Logger: discard})
	if err := ok(context.Background(), ev); err != nil || ticks != 1 {
		t.Errorf("ok tick: err %v, ticks %d", err, ticks)
	}
	failing := awslambda.Schedule(func(context.Context) error { return errors.New("boom") }, awslambda.Config{Logger: discard})
	if err := failing(context.Background(), ev); err == nil {
		t.Error("a failed pass did not fail the invocation")
	}
}

// TestFunctionURLSampleRequest serves the sample Function URL request with
// the admin API wrapped by lambdaurl, as the admin function does on Lambda.
func TestFunctionURLSampleRequest(t *testing.T) {
	t.Parallel()
	var req events.LambdaFunctionURLRequest
	sample(t, "function-url-list-webhooks.json", &req)
	authn, err := auth.New(auth.Config{AdminToken: "sample-token"})
	if err != nil {
		t.Fatal(err)
	}
	api, err := admin.New(admin.Config{Webhooks: heraldtest.Collection(t), Events: heraldtest.Collection(t),
		Deliveries: heraldtest.Collection(t), Applications: heraldtest.Collection(t), ScheduleTable: heraldtest.Collection(t),
		Ingest:   mempubsub.NewTopic(),
		Enqueuer: nopEnqueuer{}, Auth: authn, Sealer: seal.New(localsecrets.NewKeeper([32]byte{7}))})
	if err != nil {
		t.Fatal(err)
	}
	handler := lambdaurl.Wrap(api)
	resp, err := handler(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"per_page":10`) {
		t.Errorf("status %d body %s", resp.StatusCode, body)
	}
	req.Headers["authorization"] = "Bearer wrong"
	resp, err = handler(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d", resp.StatusCode)
	}
}
