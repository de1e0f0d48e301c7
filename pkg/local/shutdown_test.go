package local_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/local"
)

// holdingReceiver answers 200, or while hold is set keeps each request open
// until the sender gives up on it, telling inHand it has one.
type holdingReceiver struct {
	*httptest.Server
	hold   atomic.Bool
	got    atomic.Int64
	inHand chan struct{}
}

func newHoldingReceiver(t *testing.T) *holdingReceiver {
	r := &holdingReceiver{inHand: make(chan struct{}, 16)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.got.Add(1)
		if r.hold.Load() {
			r.inHand <- struct{}{}
			<-req.Context().Done()
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

// TestShutdownCutsOffDeliveryInFlight stops local mode while the receiver
// holds a delivery: Close returns soon after the shutdown timeout (not after
// the 10 s delivery timeout), the cut-off attempt leaves the delivery pending
// with no failure recorded against the receiver, and the next start on the
// same data dir delivers it at once (the dead attempt's lease does not hold
// it back).
func TestShutdownCutsOffDeliveryInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := memConfig(t, dir)
	r := newHoldingReceiver(t)
	r.hold.Store(true)

	const timeout = 300 * time.Millisecond
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	first, err := local.Start(context.Background(), cfg, local.Options{Logger: log, ShutdownTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = first.Close() })
	api := contract.NewAPI(t, "http://"+first.Addr, cfg.AdminToken)
	var hook contract.Webhook
	if status := api.Do("POST", "/api/v1/admin/webhooks/",
		map[string]any{"name": "held", "url": r.URL + "/hook", "validate": false}, &hook); status != http.StatusCreated {
		t.Fatalf("create webhook: %d", status)
	}
	eventID := api.Publish(map[string]any{"event_type": "order.created"})
	select {
	case <-r.inHand:
	case <-time.After(10 * time.Second):
		t.Fatal("delivery never reached the receiver")
	}

	start := time.Now()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	// The attempt would otherwise run for the delivery timeout (10 s); the
	// slack is for a loaded machine under -race.
	took := time.Since(start)
	t.Logf("Close took %v with a shutdown timeout of %v", took.Round(time.Millisecond), timeout)
	if took < timeout || took > timeout+3*time.Second {
		t.Errorf("Close took %v, want about the shutdown timeout %v", took, timeout)
	}

	d, w := storedDelivery(t, cfg, hook.ID)
	if d.Status != herald.StatusPending || d.EventID != eventID || len(d.Attempts) != 0 {
		t.Errorf("cut-off delivery: status %q, event %q, attempts %+v; want pending, %q, none recorded",
			d.Status, d.EventID, d.Attempts, eventID)
	}
	if w.ConsecutiveFailures != 0 {
		t.Errorf("cut-off attempt counted against the receiver: consecutive_failures = %d", w.ConsecutiveFailures)
	}

	// A new process has new in-memory topics; only the data dir carries over.
	r.hold.Store(false)
	cfg = withNewTopics(t, cfg)
	second, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	api = contract.NewAPI(t, second.BaseURL, second.Token)
	// Well within the dead attempt's lease (delivery timeout + 5 s).
	got := api.WaitDelivery(hook.ID, "succeeded", 10*time.Second)
	if n := len(got.Attempts); n != 2 || got.Attempts[0].StatusCode != 0 || got.Attempts[1].StatusCode != http.StatusOK {
		t.Errorf("attempts after restart = %+v; want the interrupted one, then 200", got.Attempts)
	}
	if n := r.got.Load(); n != 2 {
		t.Errorf("receiver got %d requests, want 2 (the cut-off one and the retry)", n)
	}
}

// storedDelivery reads, from the collections cfg names, the one delivery of
// webhook id and the webhook, once local mode is closed.
func storedDelivery(t *testing.T, cfg config.Config, id string) (*herald.Delivery, *herald.Webhook) {
	t.Helper()
	ctx := context.Background()
	webhooks, err := docstore.OpenCollection(ctx, cfg.WebhooksCollection)
	if err != nil {
		t.Fatal(err)
	}
	defer webhooks.Close()
	deliveries, err := docstore.OpenCollection(ctx, cfg.DeliveriesCollection)
	if err != nil {
		t.Fatal(err)
	}
	defer deliveries.Close()
	w := &herald.Webhook{ID: id}
	if err := webhooks.Get(ctx, w); err != nil {
		t.Fatal(err)
	}
	iter := deliveries.Query().Where("webhook_id", "=", id).Get(ctx)
	defer iter.Stop()
	var ds []*herald.Delivery
	for {
		d := new(herald.Delivery)
		err := iter.Next(ctx, d)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if len(ds) != 1 {
		t.Fatalf("stored deliveries = %d, want 1", len(ds))
	}
	return ds[0], w
}
