package expiry_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"
	"gocloud.dev/gcerrors"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// t0 is the fake clock's time, on a whole millisecond as stored times are.
var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// rig is one test's own collections and ingest topic, all in memory.
type rig struct {
	webhooks, events, deliveries *docstore.Collection
	ingest                       *pubsub.Topic
	ingestSub                    *pubsub.Subscription
	clock                        *heraldtest.Clock
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{ingest: mempubsub.NewTopic(), clock: heraldtest.NewClock(t0)}
	// Subscribe before anything is published: mempubsub drops messages sent
	// to a topic without a subscription.
	r.ingestSub = mempubsub.NewSubscription(r.ingest, time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = r.ingestSub.Shutdown(ctx)
		_ = r.ingest.Shutdown(ctx)
	})
	for _, c := range []**docstore.Collection{&r.webhooks, &r.events, &r.deliveries} {
		coll, err := memdocstore.OpenCollection("id", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = coll.Close() })
		*c = coll
	}
	return r
}

func (r *rig) notifier(t *testing.T, cfg expiry.Config) *expiry.Notifier {
	t.Helper()
	cfg.Webhooks, cfg.Events, cfg.Deliveries, cfg.Ingest = r.webhooks, r.events, r.deliveries, r.ingest
	cfg.Now = r.clock.Now
	n, err := expiry.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// put writes docs as Herald's writers do: with their indexed fields set
// (a finished delivery without expires_at gets the default retention's).
func (r *rig) put(t *testing.T, coll *docstore.Collection, docs ...docstore.Document) {
	t.Helper()
	for _, d := range docs {
		switch d := d.(type) {
		case *herald.Delivery:
			d.Derive(r.clock.Now(), 0)
		case *herald.Webhook:
			d.Derive()
		case *herald.Application:
			d.Derive()
		}
		if err := coll.Put(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
}

func (r *rig) delivery(t *testing.T, id int64) (*herald.Delivery, bool) {
	t.Helper()
	d := &herald.Delivery{ID: id}
	err := r.deliveries.Get(context.Background(), d)
	if err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, false
		}
		t.Fatal(err)
	}
	return d, true
}

func (r *rig) eventExists(t *testing.T, id string) bool {
	t.Helper()
	err := r.events.Get(context.Background(), &herald.Event{ID: id})
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		t.Fatal(err)
	}
	return err == nil
}

// dropped is the part of a webhook.delivery.dropped envelope the tests read.
type dropped struct {
	EventID    string    `json:"event_id"`
	EventType  string    `json:"event_type"`
	Timestamp  time.Time `json:"timestamp"`
	Category   string    `json:"category"`
	TenantID   string    `json:"tenant_id"`
	IdentityID string    `json:"identity_id"`
	Data       struct {
		DeliveryID  int64  `json:"delivery_id"`
		WebhookID   string `json:"webhook_id"`
		WebhookName string `json:"webhook_name"`
		EventID     string `json:"event_id"`
		EventType   string `json:"event_type"`
		Attempts    int    `json:"attempts"`
		LastError   string `json:"last_error"`
	} `json:"data"`
}

// receiveDropped receives n envelopes from the ingest topic, by delivery id.
func (r *rig) receiveDropped(t *testing.T, n int) map[int64]dropped {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := map[int64]dropped{}
	for i := range n {
		m, err := r.ingestSub.Receive(ctx)
		if err != nil {
			t.Fatalf("receive envelope %d of %d: %v", i+1, n, err)
		}
		m.Ack()
		var d dropped
		if err := json.Unmarshal(m.Body, &d); err != nil {
			t.Fatalf("envelope %s: %v", m.Body, err)
		}
		out[d.Data.DeliveryID] = d
	}
	return out
}

// expectNothingPublished fails if an envelope arrives within a bounded wait.
// Topic.Send has returned before it is called and mempubsub hands out what it
// holds within one 250 ms poll, so the wait is generous.
func (r *rig) expectNothingPublished(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	m, err := r.ingestSub.Receive(ctx)
	if err == nil {
		m.Ack()
		t.Fatalf("unexpected envelope published: %s", m.Body)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("receive: %v", err)
	}
}

func TestNewRequiresResources(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	if _, err := expiry.New(expiry.Config{Webhooks: r.webhooks, Events: r.events, Deliveries: r.deliveries}); err == nil {
		t.Error("New without Ingest accepted")
	}
	if _, err := expiry.New(expiry.Config{Events: r.events, Deliveries: r.deliveries, Ingest: r.ingest}); err == nil {
		t.Error("New without Webhooks accepted")
	}
	if _, err := expiry.New(expiry.Config{Webhooks: r.webhooks, Deliveries: r.deliveries, Ingest: r.ingest}); err == nil {
		t.Error("New without Events accepted, though it deletes expired events")
	}
	if _, err := expiry.New(expiry.Config{Webhooks: r.webhooks, Deliveries: r.deliveries, Ingest: r.ingest, TTL: true}); err != nil {
		t.Errorf("New without Events where TTL deletes them: %v", err)
	}
}

func TestRunTicksAtOnceAndStopsOnCancel(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	n := r.notifier(t, expiry.Config{PauseHold: time.Hour, Interval: time.Hour})
	r.put(t, r.deliveries, &herald.Delivery{ID: 1, WebhookID: "wh_x", EventType: "invoice.paid",
		Status: herald.StatusPaused, CreatedMS: herald.Millis(t0.Add(-2 * time.Hour))})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- n.Run(ctx) }()

	if got := r.receiveDropped(t, 1); got[1].EventType != herald.EventDeliveryDropped {
		t.Fatalf("first tick published %+v, want a dropped event for delivery 1", got)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return within 2s of cancel")
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
