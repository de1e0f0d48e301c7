package expiry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
	"github.com/heraldhq/herald/pkg/validation"
)

// validationReceiver is an endpoint that answers status and records the
// origin of each call it gets.
type validationReceiver struct {
	*httptest.Server
	status  atomic.Int32
	mu      sync.Mutex
	origins []string
}

func newValidationReceiver(t *testing.T, status int) *validationReceiver {
	t.Helper()
	v := &validationReceiver{}
	v.status.Store(int32(status))
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Origin string `json:"origin"`
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		v.mu.Lock()
		v.origins = append(v.origins, body.Origin)
		v.mu.Unlock()
		w.WriteHeader(int(v.status.Load()))
	}))
	t.Cleanup(v.Close)
	return v
}

func (v *validationReceiver) calls() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.origins...)
}

// revalidating returns the Config of a notifier that validates every
// enabled webhook again each hour, ticking every 5 minutes, with the
// scoopa origin.
func (r *rig) revalidating(t *testing.T, sealer *seal.Sealer) expiry.Config {
	t.Helper()
	return expiry.Config{RevalidateInterval: time.Hour, Interval: 5 * time.Minute,
		Validation: validation.Caller{Sealer: sealer, Client: outbound.NewClient(outbound.ClientConfig{AllowPrivate: true}),
			Origin: "scoopa - endpoint validation test", Now: r.clock.Now}}
}

// validatedWebhook returns an enabled webhook of url, validated at
// validatedAt, with a sealed secret.
func validatedWebhook(t *testing.T, sealer *seal.Sealer, id, url string, validatedAt time.Time) *herald.Webhook {
	t.Helper()
	sealed, err := sealer.Seal(context.Background(), signature.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	return &herald.Webhook{ID: id, Name: "hook " + id, URL: url, Enabled: true, SealedSecret: sealed,
		Validated: true, ValidatedAt: validatedAt}
}

func (r *rig) webhook(t *testing.T, id string) *herald.Webhook {
	t.Helper()
	w := &herald.Webhook{ID: id}
	if err := r.webhooks.Get(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestRevalidationFlipsValidatedAndAnnouncesOncePerRun: a webhook whose
// endpoint starts failing is marked unvalidated with the reason at its next
// re-validation, and webhook.endpoint.validation_failed is published once
// for the run of failures — not again at the next failure, nor by a new
// notifier (a restart) — until a success ends the run; the next failure
// begins a new run and announces it.
func TestRevalidationFlipsValidatedAndAnnouncesOncePerRun(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	sealer := seal.New(localsecrets.NewKeeper([32]byte{7}))
	recv := newValidationReceiver(t, http.StatusInternalServerError)
	r.put(t, r.webhooks, validatedWebhook(t, sealer, "wh_1", recv.URL, t0.Add(-2*time.Hour)),
		&herald.Webhook{ID: "wh_off", URL: recv.URL, Enabled: false, ValidatedAt: t0.Add(-2 * time.Hour)})
	n := r.notifier(t, r.revalidating(t, sealer))
	ctx := context.Background()

	rep, err := n.Tick(ctx)
	if err != nil || rep.Revalidated != 1 || rep.RevalidationFailed != 1 {
		t.Fatalf("first tick = %+v, %v", rep, err)
	}
	if got := recv.calls(); len(got) != 1 || got[0] != "scoopa - endpoint validation test" {
		t.Fatalf("receiver got %q", got)
	}
	w := r.webhook(t, "wh_1")
	if w.Validated || w.ValidationError != "HTTP 500" || !w.ValidatedAt.Equal(t0) || w.ValidationFailingSinceMS != herald.Millis(t0) {
		t.Fatalf("after a failed re-validation: %+v", w)
	}
	first := onlyEvent(t, r.receiveSecretEvents(t, 1))
	if first.EventType != herald.EventEndpointValidationFailed || first.Category != "SECURITY" || first.Data["webhook_id"] != "wh_1" || first.Data["error"] != "HTTP 500" ||
		first.Data["status_code"] != float64(500) {
		t.Fatalf("event = %+v", first)
	}

	// Not due again within the interval.
	if rep, err := n.Tick(ctx); err != nil || rep.Revalidated != 0 {
		t.Fatalf("tick within the interval = %+v, %v", rep, err)
	}
	// Due again: still failing, the same run: nothing announced, also by
	// a notifier that starts afresh.
	for _, tick := range []*expiry.Notifier{n, r.notifier(t, r.revalidating(t, sealer))} {
		r.clock.Advance(time.Hour)
		if rep, err := tick.Tick(ctx); err != nil || rep.RevalidationFailed != 1 {
			t.Fatalf("tick = %+v, %v", rep, err)
		}
		r.expectNothingPublished(t)
	}
	if w := r.webhook(t, "wh_1"); w.ValidationFailingSinceMS != herald.Millis(t0) {
		t.Fatalf("run of failures moved: %+v", w)
	}

	// A success ends the run.
	recv.status.Store(http.StatusNoContent)
	r.clock.Advance(time.Hour)
	if rep, err := n.Tick(ctx); err != nil || rep.Revalidated != 1 || rep.RevalidationFailed != 0 {
		t.Fatalf("tick = %+v, %v", rep, err)
	}
	if w := r.webhook(t, "wh_1"); !w.Validated || w.ValidationError != "" || w.ValidationFailingSinceMS != 0 {
		t.Fatalf("after a success: %+v", w)
	}
	r.expectNothingPublished(t)

	// A new failure is a new run, announced with an event of its own.
	recv.status.Store(http.StatusBadGateway)
	r.clock.Advance(time.Hour)
	if _, err := n.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	again := onlyEvent(t, r.receiveSecretEvents(t, 1))
	if again.EventType != herald.EventEndpointValidationFailed || again.EventID == first.EventID || again.Data["error"] != "HTTP 502" {
		t.Fatalf("second run's event = %+v (first %s)", again, first.EventID)
	}
	if got := recv.calls(); len(got) != 5 {
		t.Errorf("receiver got %d calls, want 5 (the disabled webhook none)", len(got))
	}
}

// TestRevalidationIsSpreadOverTheInterval: webhooks all due at once are
// validated a share per tick — enough for one interval's ticks to cover
// them — not all in the first tick.
func TestRevalidationIsSpreadOverTheInterval(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	sealer := seal.New(localsecrets.NewKeeper([32]byte{7}))
	recv := newValidationReceiver(t, http.StatusOK)
	for i := range 30 {
		r.put(t, r.webhooks, validatedWebhook(t, sealer, fmt.Sprintf("wh_%02d", i), recv.URL, time.Time{}))
	}
	n := r.notifier(t, r.revalidating(t, sealer))
	// 30 webhooks, 12 ticks an hour: 3 a tick.
	for tick := range 10 {
		rep, err := n.Tick(context.Background())
		if err != nil || rep.Revalidated != 3 {
			t.Fatalf("tick %d = %+v, %v", tick, rep, err)
		}
		r.clock.Advance(5 * time.Minute)
	}
	if rep, err := n.Tick(context.Background()); err != nil || rep.Revalidated != 0 {
		t.Fatalf("tick after all were validated = %+v, %v", rep, err)
	}
	if got := len(recv.calls()); got != 30 {
		t.Errorf("receiver got %d calls, want 30", got)
	}
}

// onlyEvent returns the one event of evs.
func onlyEvent(t *testing.T, evs map[string]secretEvent) secretEvent {
	t.Helper()
	if len(evs) != 1 {
		t.Fatalf("events = %+v, want one", evs)
	}
	for _, ev := range evs {
		return ev
	}
	return secretEvent{}
}
