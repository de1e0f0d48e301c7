package deliver_test

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// scripted answers the statuses in turn, the last one repeating.
func scripted(codes ...int) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, _ *http.Request) {
		i := min(int(n.Add(1)-1), len(codes)-1)
		w.WriteHeader(codes[i])
	}
}

// TestHandleHealthEvents: three consecutive failures announce
// webhook.endpoint.unhealthy once, a fourth announces nothing, the next
// success announces webhook.endpoint.recovered and resets the health state,
// and a later success announces nothing. Each attempt is a delivery of its
// own, a minute apart on the injected clock.
func TestHandleHealthEvents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, scripted(500, 503, 500, 500, 200, 200))
	f.seed(t, newWebhook(r.URL), nil)
	run := strconv.FormatInt(herald.Millis(t0), 10)
	for i, want := range []struct {
		events   []string
		failures int64
	}{
		{nil, 1}, {nil, 2}, {[]string{herald.EventEndpointUnhealthy}, 3}, {nil, 4},
		{[]string{herald.EventEndpointRecovered}, 0}, {nil, 0},
	} {
		id := f.addDelivery(t, int64(100+i), "wh_1")
		if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		evs := f.drain(t)
		var types []string
		for _, ev := range evs {
			if ev.EventType != herald.EventDeliveryDropped {
				types = append(types, ev.EventType)
			}
		}
		if len(types) != len(want.events) || (len(types) == 1 && types[0] != want.events[0]) {
			t.Errorf("attempt %d announced %v, want %v", i+1, types, want.events)
		}
		for _, ev := range evs {
			switch ev.EventType {
			case herald.EventEndpointUnhealthy:
				if ev.EventID != "evt_unhealthy_wh_1_"+run || ev.Category != "SECURITY" ||
					ev.Data["consecutive_failures"] != 3.0 || ev.Data["last_status_code"] != 500.0 ||
					ev.Data["failing_since"] != "2026-04-23T14:00:00Z" {
					t.Errorf("unhealthy event = %+v", ev)
				}
			case herald.EventEndpointRecovered:
				if ev.EventID != "evt_recovered_wh_1_"+run || ev.Data["consecutive_failures"] != 4.0 {
					t.Errorf("recovered event = %+v", ev)
				}
			}
		}
		w := f.webhook(t, "wh_1")
		if w.ConsecutiveFailures != want.failures || w.Unhealthy != (want.failures >= 3) ||
			(w.FailingSinceMS != 0) != (want.failures > 0) {
			t.Errorf("after attempt %d: failures %d, unhealthy %v, failing since %d",
				i+1, w.ConsecutiveFailures, w.Unhealthy, w.FailingSinceMS)
		}
		if want.failures > 0 && w.FailingSinceMS != herald.Millis(t0) {
			t.Errorf("failing since %v, want the first failure's time", herald.FromMillis(w.FailingSinceMS))
		}
		f.clock.Advance(time.Minute)
	}
}

// TestHandleOwnEventDeliveriesKeepNoHealth: failures delivering Herald's own
// events neither count nor announce, so a broken alerts endpoint cannot
// feed itself.
func TestHandleOwnEventDeliveriesKeepNoHealth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusInternalServerError))
	f.seed(t, newWebhook(r.URL), nil)
	for i := range 4 {
		id := f.addDelivery(t, int64(100+i), "wh_1")
		d := f.delivery(t, id)
		d.EventType = herald.EventEndpointUnhealthy
		if err := f.deliveries.Replace(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if evs := f.drain(t); len(evs) != 0 {
		t.Errorf("announced %+v", evs)
	}
	if w := f.webhook(t, "wh_1"); w.ConsecutiveFailures != 0 || w.Unhealthy {
		t.Errorf("own-event failures counted: %d, unhealthy %v", w.ConsecutiveFailures, w.Unhealthy)
	}
}

// TestHandleDisableAfter: an endpoint failing continuously for its
// disable_after is disabled with the reason "failing for 1h".
func TestHandleDisableAfter(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusInternalServerError))
	wh := newWebhook(r.URL)
	wh.DisableAfter, wh.UnhealthyAfter = "1h", 100
	f.seed(t, wh, nil)
	for i, advance := range []time.Duration{0, 30 * time.Minute, 31 * time.Minute} {
		f.clock.Advance(advance)
		id := f.addDelivery(t, int64(100+i), "wh_1")
		if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		disabled := ofType(f.drain(t), herald.EventEndpointDisabled)
		if i < 2 {
			if len(disabled) != 0 {
				t.Errorf("disabled after %d failures", i+1)
			}
			continue
		}
		if len(disabled) != 1 || disabled[0].Data["reason"] != "failing for 1h" ||
			disabled[0].EventID != "evt_disabled_wh_1_"+strconv.FormatInt(herald.Millis(t0), 10) {
			t.Errorf("disabled events = %+v", disabled)
		}
	}
	if w := f.webhook(t, "wh_1"); w.Enabled || w.DisabledReason != "failing for 1h" {
		t.Errorf("webhook enabled %v, reason %q", w.Enabled, w.DisabledReason)
	}
}

// TestHandleConcurrentFailuresAnnounceOnce: deliveries failing at the same
// time on several workers all announce the unhealthy run under one
// event_id (ingest keeps one), however the writes interleave.
func TestHandleConcurrentFailuresAnnounceOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusInternalServerError))
	f.seed(t, newWebhook(r.URL), nil)
	const workers = 8
	var wg sync.WaitGroup
	for i := range workers {
		id := f.addDelivery(t, int64(100+i), "wh_1")
		wg.Go(func() {
			if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, ev := range ofType(f.drain(t), herald.EventEndpointUnhealthy) {
		ids[ev.EventID] = true
	}
	if len(ids) != 1 {
		t.Errorf("unhealthy announced under %d event ids, want 1: %v", len(ids), ids)
	}
	if w := f.webhook(t, "wh_1"); w.ConsecutiveFailures != workers || !w.Unhealthy {
		t.Errorf("failures %d, unhealthy %v; want %d, true", w.ConsecutiveFailures, w.Unhealthy, workers)
	}
}
