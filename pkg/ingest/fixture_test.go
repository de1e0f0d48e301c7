package ingest_test

import (
	"context"
	"errors"
	"io"
	"sort"
	"sync"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
)

// t0 is the fixed time of the injected clock.
var t0 = time.Date(2026, 4, 23, 14, 0, 0, 0, time.UTC)

// enqueued is one call to the recording Enqueuer.
type enqueued struct {
	Job herald.Job
	Due time.Time
}

// errQueueDown is what a failing Enqueuer returns.
var errQueueDown = errors.New("deliver topic unavailable")

// recordingEnqueuer records the jobs it is given. Once failAfter jobs have
// been accepted it fails every further one (a negative failAfter never fails).
type recordingEnqueuer struct {
	mu        sync.Mutex
	got       []enqueued
	failAfter int
}

func (e *recordingEnqueuer) Enqueue(_ context.Context, job herald.Job, due time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failAfter >= 0 && len(e.got) >= e.failAfter {
		return errQueueDown
	}
	e.got = append(e.got, enqueued{job, due})
	return nil
}

func (e *recordingEnqueuer) Got() []enqueued {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]enqueued(nil), e.got...)
}

// setFailAfter changes when the Enqueuer starts failing.
func (e *recordingEnqueuer) setFailAfter(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failAfter = n
}

// fixture is an ingest Handler on memdocstore collections with a recording
// Enqueuer and a fixed clock.
type fixture struct {
	webhooks, events, deliveries *docstore.Collection
	enq                          *recordingEnqueuer
	h                            *ingest.Handler
}

// newFixture builds the Handler; change, when given, adjusts its Config.
func newFixture(t *testing.T, change ...func(*ingest.Config)) *fixture {
	t.Helper()
	f := &fixture{enq: &recordingEnqueuer{failAfter: -1}}
	f.webhooks, f.events, f.deliveries = heraldtest.Collection(t), heraldtest.Collection(t), heraldtest.Collection(t)
	cfg := ingest.Config{Webhooks: f.webhooks, Events: f.events, Deliveries: f.deliveries,
		Enqueuer: f.enq, Now: func() time.Time { return t0 }}
	for _, c := range change {
		c(&cfg)
	}
	h, err := ingest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

// addWebhook stores an enabled webhook with a secret, after change.
func (f *fixture) addWebhook(t *testing.T, id string, change func(w *herald.Webhook)) {
	t.Helper()
	w := &herald.Webhook{ID: id, Name: id, URL: "https://example.com/" + id, Enabled: true,
		SealedSecret: "sealed:v1:unused"}
	if change != nil {
		change(w)
	}
	if err := f.webhooks.Create(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) handle(body string) error {
	return f.h.Handle(context.Background(), []byte(body))
}

// allDeliveries returns every stored delivery, ordered by webhook and id.
func (f *fixture) allDeliveries(t *testing.T) []*herald.Delivery {
	t.Helper()
	iter := f.deliveries.Query().Get(context.Background())
	defer iter.Stop()
	var out []*herald.Delivery
	for {
		d := new(herald.Delivery)
		err := iter.Next(context.Background(), d)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].WebhookID != out[j].WebhookID {
			return out[i].WebhookID < out[j].WebhookID
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// webhookIDs returns the webhook of each delivery, in order.
func webhookIDs(ds []*herald.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.WebhookID
	}
	return out
}

// event reads the stored event, or nil when there is none.
func (f *fixture) event(t *testing.T, id string) *herald.Event {
	t.Helper()
	ev := &herald.Event{ID: id}
	err := f.events.Get(context.Background(), ev)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
