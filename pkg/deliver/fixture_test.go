package deliver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"
	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
)

// t0 is the fixed time every test starts at.
var t0 = time.Date(2026, 4, 23, 14, 0, 0, 0, time.UTC)

// captured is one request a receiver got.
type captured struct {
	Header http.Header
	Body   []byte
}

// receiver is a real HTTP endpoint that records every request and answers
// with answer (200 when nil).
type receiver struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	got  []captured
}

func newReceiver(t *testing.T, answer http.HandlerFunc) *receiver {
	t.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, captured{Header: req.Header.Clone(), Body: body})
		r.mu.Unlock()
		r.hits.Add(1)
		if answer == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		answer(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) Got() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]captured(nil), r.got...)
}

// status answers every request with code.
func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

// fixture is a Handler on memdocstore collections, a mempubsub ingest topic
// (with a subscription made before anything is published), a recording
// Enqueuer and an injected clock.
type fixture struct {
	clock                        *heraldtest.Clock
	webhooks, events, deliveries *docstore.Collection
	ingest                       *pubsub.Subscription
	enq                          *heraldtest.Enqueuer
	h                            *deliver.Handler
}

// newFixture builds a Handler from cfg, filling in everything the fixture
// owns. A nil Now becomes the fixture's clock, a nil Client one that may reach
// loopback receivers.
func newFixture(t *testing.T, cfg deliver.Config) *fixture {
	t.Helper()
	f := &fixture{clock: heraldtest.NewClock(t0), enq: &heraldtest.Enqueuer{}}
	f.webhooks = heraldtest.Collection(t)
	f.events = heraldtest.Collection(t)
	f.deliveries = heraldtest.Collection(t)
	topic := mempubsub.NewTopic()
	f.ingest = mempubsub.NewSubscription(topic, time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = f.ingest.Shutdown(ctx)
		_ = topic.Shutdown(ctx)
	})
	cfg.Webhooks, cfg.Events, cfg.Deliveries = f.webhooks, f.events, f.deliveries
	cfg.Enqueuer = f.enq
	if cfg.Ingest == nil {
		cfg.Ingest = topic
	}
	if cfg.Now == nil {
		cfg.Now = f.clock.Now
	}
	if cfg.Client == nil {
		cfg.Client = outbound.NewClient(outbound.ClientConfig{Timeout: 5 * time.Second, AllowPrivate: true})
	}
	cfg.Sealer = testSealer
	h, err := deliver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

const (
	testEventID   = "evt_01HK7X9Z"
	testEventType = "secret.rotated"
	testPayload   = `{"event_id":"evt_01HK7X9Z","event_type":"secret.rotated","timestamp":"2026-04-23T14:00:00Z",` +
		`"tenant_id":"tnt_acme","data":{"old_version":3,"new_version":4},"x_custom":{"kept":true}}`
	testDeliveryID = int64(4242)
)

// testSealer seals the fixtures' signing secrets, as the admin API does.
var testSealer = seal.New(localsecrets.NewKeeper([32]byte{1, 2, 3}))

// newWebhook returns an enabled webhook pointing at url, with a sealed
// secret (see secretOf).
func newWebhook(url string) *herald.Webhook {
	sealed, err := testSealer.Seal(context.Background(), signature.NewSecret())
	if err != nil {
		panic(err)
	}
	return &herald.Webhook{ID: "wh_1", Name: "acme", URL: url, Enabled: true,
		TenantID: "tnt_acme", SealedSecret: sealed}
}

// secretOf returns the plain signing secret of wh.
func secretOf(t *testing.T, wh *herald.Webhook) string {
	t.Helper()
	s, err := testSealer.Open(context.Background(), wh.SealedSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newDelivery returns a pending delivery of the test event to wh_1, due at t0,
// with no attempt made yet.
func newDelivery() *herald.Delivery {
	return &herald.Delivery{ID: testDeliveryID, WebhookID: "wh_1", EventID: testEventID,
		EventType: testEventType, TenantID: "tnt_acme", Status: herald.StatusPending,
		NextAttemptMS: herald.Millis(t0), CreatedMS: herald.Millis(t0), UpdatedMS: herald.Millis(t0)}
}

// seed stores the test event and, when not nil, the webhook and delivery.
func (f *fixture) seed(t *testing.T, w *herald.Webhook, d *herald.Delivery) {
	t.Helper()
	ctx := context.Background()
	ev := &herald.Event{ID: testEventID, Type: testEventType, TenantID: "tnt_acme",
		Payload: testPayload, FannedOut: true, CreatedMS: herald.Millis(t0)}
	if err := f.events.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if w != nil {
		if err := f.webhooks.Create(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	if d != nil {
		if err := f.deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
}

// handle runs Handle on the encoded job.
func (f *fixture) handle(job herald.Job) error {
	return f.h.Handle(context.Background(), job.Encode())
}

// delivery reads the stored delivery.
func (f *fixture) delivery(t *testing.T, id int64) *herald.Delivery {
	t.Helper()
	d := &herald.Delivery{ID: id}
	if err := f.deliveries.Get(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// published returns the next message on the ingest topic, or nil when none
// arrives within wait.
func (f *fixture) published(t *testing.T, wait time.Duration) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	m, err := f.ingest.Receive(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	return m.Body
}

// noneArrives is how long a test waits to be sure nothing was published.
// Topic.Send returns once the message is in the subscription, so a published
// message is received at once; this only bounds the wait for absence.
const noneArrives = 300 * time.Millisecond
