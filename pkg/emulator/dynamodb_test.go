package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"
	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/emulator"
	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/moto"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/schedule"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/store/storetest"
)

// TestDynamoDB runs Herald's queries and its periodic and per-event paths
// on the template's tables (moto), counting every DynamoDB call.
func TestDynamoDB(t *testing.T) {
	endpoint := moto.Start(t)
	t.Run("IndexesServeHeraldsQueries", func(t *testing.T) {
		t.Parallel()
		indexesServeHeraldsQueries(t, newStack(t, endpoint, "idx-"))
	})
	t.Run("PeriodicAndPerEventPathsNeverScan", func(t *testing.T) {
		t.Parallel()
		periodicPathsNeverScan(t, newStack(t, endpoint, "scan-"))
	})
	t.Run("CallLogOnTheTemplateTables", func(t *testing.T) {
		t.Parallel()
		callLogOnTheTemplateTables(t, newStack(t, endpoint, "log-"))
	})
	t.Run("IngestTableFollowsTheRevision", func(t *testing.T) {
		t.Parallel()
		ingestTableFollowsTheRevision(t, endpoint)
	})
	t.Run("CallsPerDelivery", func(t *testing.T) {
		t.Parallel()
		callsPerDelivery(t, newStack(t, endpoint, "cost-"))
	})
	// The per-webhook limits and counters hold under concurrency on
	// DynamoDB's conditional writes as on the local drivers (moto made
	// atomic per call: see calls.one).
	t.Run("PauseLimitUnderConcurrency", func(t *testing.T) {
		t.Parallel()
		storetest.PauseLimit(t, newAtomicStack(t, endpoint, "pause-").Collections, storetest.Options{})
	})
	t.Run("PauseLimitThroughResumeAndPause", func(t *testing.T) {
		t.Parallel()
		storetest.PauseInterleavings(t, newAtomicStack(t, endpoint, "repause-").Collections, storetest.Options{})
	})
	t.Run("PauseQueueExactWithDuplicateEvents", func(t *testing.T) {
		t.Parallel()
		storetest.PauseDuplicates(t, newAtomicStack(t, endpoint, "dup-").Collections, storetest.Options{})
	})
	t.Run("PauseBackstopSettles", func(t *testing.T) {
		t.Parallel()
		storetest.PauseBackstop(t, newAtomicStack(t, endpoint, "backstop-").Collections, storetest.Options{})
	})
	t.Run("PauseAndResumeInAFloodOfDrops", func(t *testing.T) {
		t.Parallel()
		// Four at once: moto takes one call at a time, so each more
		// only makes the round longer.
		storetest.PauseFlood(t, newAtomicStack(t, endpoint, "flood-").Collections, storetest.Options{Handlers: 2})
	})
	t.Run("HealthStreaksUnderConcurrency", func(t *testing.T) {
		t.Parallel()
		storetest.HealthStreaks(t, newAtomicStack(t, endpoint, "health-").Collections, storetest.Options{})
	})
}

// indexesServeHeraldsQueries: every query of store.Queries is planned on
// the GSI it names (a GSI is only chosen when its projection holds the
// fields the query reads), never as a scan.
func indexesServeHeraldsQueries(t *testing.T, s *stack) {
	for _, q := range store.Queries(s.Collections) {
		plan, err := q.Query.Plan(q.Fields...)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		t.Logf("%s: %s", q.Name, plan)
		switch q.Index {
		case store.ByTTL:
		case store.ByScan:
			if plan != "Scan" {
				t.Errorf("%s: %s, want the scan of a small table", q.Name, plan)
			}
		default:
			if want := fmt.Sprintf("Index: %q", q.Index); plan != want {
				t.Errorf("%s: %s, want %s", q.Name, plan, want)
			}
		}
	}
}

// TestTemplateIndexesMatchLocalIndexes keeps the two index specs in step:
// every GSI of template.yaml is declared, with the same fields, by local
// mode's bolt:// URL of its collection, so a query served by an index on
// DynamoDB is served by one on bolt://.
func TestTemplateIndexesMatchLocalIndexes(t *testing.T) {
	gsis, err := emulator.TemplateIndexes("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{}
	for _, v := range config.Vars {
		urls[v.Name] = v.Local
	}
	for _, tc := range []struct{ table, env string }{
		{"WebhooksTable", "HERALD_WEBHOOKS_COLLECTION"}, {"EventsTable", "HERALD_EVENTS_COLLECTION"},
		{"DeliveriesTable", "HERALD_DELIVERIES_COLLECTION"}, {"ScheduleTable", "HERALD_SCHEDULE_COLLECTION"},
		{"ApplicationsTable", "HERALD_APPLICATIONS_COLLECTION"},
	} {
		u, err := url.Parse(urls[tc.env])
		if err != nil {
			t.Fatal(err)
		}
		local := slices.Concat(u.Query()["index"], u.Query()["sparse"])
		for _, g := range gsis[tc.table] {
			if !slices.Contains(local, strings.Join(g.Keys, ",")) {
				t.Errorf("%s GSI %s on %v has no bolt:// index %q in %s's local default %s",
					tc.table, g.Name, g.Keys, strings.Join(g.Keys, ","), tc.env, urls[tc.env])
			}
		}
	}
}

// world is Herald's functions over a stack: ingest with a webhook table
// following the revision (as on Lambda), deliver, the retry-scheduler and
// the expiry-notifier, on an in-memory deliver topic and ingest topic.
type world struct {
	*stack
	clock      *heraldtest.Clock
	deliverSub *pubsub.Subscription
	ingestSub  *pubsub.Subscription
	ingest     *ingest.Handler
	deliver    *deliver.Handler
	scheduler  *schedule.Scheduler
	expiry     *expiry.Notifier
	revision   *store.Revision
}

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, s *stack) *world {
	t.Helper()
	w := &world{stack: s, clock: heraldtest.NewClock(t0), revision: store.NewRevision(s.Schedule)}
	deliverTopic, ingestTopic := mempubsub.NewTopic(), mempubsub.NewTopic()
	w.deliverSub = mempubsub.NewSubscription(deliverTopic, time.Minute)
	w.ingestSub = mempubsub.NewSubscription(ingestTopic, time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = w.deliverSub.Shutdown(ctx)
		_ = w.ingestSub.Shutdown(ctx)
		_ = deliverTopic.Shutdown(ctx)
		_ = ingestTopic.Shutdown(ctx)
	})
	enq, err := enqueue.New(enqueue.Config{Topic: deliverTopic, Table: s.Schedule, Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	table := cache.NewWebhooks(cache.WebhooksConfig{Collection: s.Webhooks, Revision: store.NewRevision(s.Schedule),
		Interval: time.Second, Now: w.clock.Now})
	if w.ingest, err = ingest.New(ingest.Config{Webhooks: s.Webhooks, Events: s.Events, Deliveries: s.Deliveries,
		Enqueuer: enq, Table: table, Now: w.clock.Now}); err != nil {
		t.Fatal(err)
	}
	if w.deliver, err = deliver.New(deliver.Config{Webhooks: s.Webhooks, Events: s.Events, Deliveries: s.Deliveries,
		Enqueuer: enq, Ingest: ingestTopic, Sealer: sealer, Revision: w.revision, Now: w.clock.Now,
		Client: outbound.NewClient(outbound.ClientConfig{Timeout: 5 * time.Second, AllowPrivate: true})}); err != nil {
		t.Fatal(err)
	}
	if w.scheduler, err = schedule.New(schedule.Config{Topic: deliverTopic, Table: s.Schedule, Deliveries: s.Deliveries,
		Now: w.clock.Now}); err != nil {
		t.Fatal(err)
	}
	if w.expiry, err = expiry.New(expiry.Config{Webhooks: s.Webhooks, Events: s.Events, Deliveries: s.Deliveries,
		Applications: s.Applications, Ingest: ingestTopic, Enqueuer: enq, Revision: w.revision, TTL: true,
		PauseHold: 7 * 24 * time.Hour, Now: w.clock.Now}); err != nil {
		t.Fatal(err)
	}
	return w
}

var sealer = seal.New(localsecrets.NewKeeper([32]byte{7}))

// put writes docs as Herald's writers do, with their indexed fields.
func (w *world) put(t *testing.T, coll *docstore.Collection, docs ...docstore.Document) {
	t.Helper()
	for _, d := range docs {
		switch d := d.(type) {
		case *herald.Delivery:
			d.Derive(w.clock.Now(), 0)
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

// webhook returns an enabled webhook subscribed to everything, with a sealed
// secret, pointing at url.
func webhook(t *testing.T, id, url string) *herald.Webhook {
	t.Helper()
	sealed, err := sealer.Seal(context.Background(), "whsec_"+strings.Repeat("A", 43)+"=")
	if err != nil {
		t.Fatal(err)
	}
	return &herald.Webhook{ID: id, Name: id, URL: url, Enabled: true, SealedSecret: sealed}
}

// periodicPathsNeverScan: the expiry-notifier's tick, the retry-scheduler's
// tick, ingest (a fan-out to a live and a paused webhook, and a resumed
// fan-out) find what they should on the template's tables without a single
// Scan — but for ingest's first read of the webhook table (and the one
// that settles it).
func periodicPathsNeverScan(t *testing.T, s *stack) {
	ctx := context.Background()
	w := newWorld(t, s)
	now := w.clock.Now()
	ms := herald.Millis
	grace := webhook(t, "wh_live", "https://example.com/hook")
	grace.PreviousSealedSecret, grace.PreviousSecretUntilMS = grace.SealedSecret, ms(now.Add(-time.Minute))
	paused := webhook(t, "wh_paused", "https://example.com/paused")
	paused.Paused = true
	w.put(t, s.Webhooks, grace, paused)
	w.put(t, s.Applications, &herald.Application{ID: "app_1", Name: "ci", SecretHash: "$argon2id$x",
		SecretExpiresMS: ms(now.Add(10 * 24 * time.Hour))})
	w.put(t, s.Deliveries,
		&herald.Delivery{ID: 1, WebhookID: "wh_live", EventID: "evt_a", Status: herald.StatusPending, // lost
			NextAttemptMS: ms(now.Add(-10 * time.Minute)), CreatedMS: ms(now.Add(-time.Hour))},
		&herald.Delivery{ID: 2, WebhookID: "wh_live", EventID: "evt_a", Status: herald.StatusPending, // not due
			NextAttemptMS: ms(now.Add(3 * time.Hour)), CreatedMS: ms(now.Add(-time.Hour))},
		&herald.Delivery{ID: 3, WebhookID: "wh_live", EventID: "evt_a", Status: herald.StatusSucceeded,
			CreatedMS: ms(now.Add(-time.Hour))},
		&herald.Delivery{ID: 4, WebhookID: "wh_paused", EventID: "evt_a", EventType: "order.created", // held too long
			Status: herald.StatusPaused, CreatedMS: ms(now.Add(-8 * 24 * time.Hour))},
		&herald.Delivery{ID: 5, WebhookID: "wh_paused", EventID: "evt_a", Status: herald.StatusPaused,
			CreatedMS: ms(now.Add(-time.Hour))},
		&herald.Delivery{ID: 6, WebhookID: "wh_live", EventID: "evt_a", Status: herald.StatusPaused, // resumed since
			CreatedMS: ms(now.Add(-time.Hour))})
	enq, err := enqueue.New(enqueue.Config{Topic: mempubsub.NewTopic(), Table: s.Schedule, Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := enq.Enqueue(ctx, herald.Job{DeliveryID: 2, Attempt: 1}, now.Add(time.Hour)); err != nil {
		t.Fatal(err) // through the table: the topic has no native delay
	}
	w.clock.Advance(2 * time.Hour) // the entry is due; delivery 1 is overdue by far
	s.calls.take()

	rep, err := w.expiry.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{ExpiredHeld: 1, ReleasedHeld: 1, GraceEnded: 1, ExpiringNotified: 1}); rep != want {
		t.Errorf("expiry tick = %+v, want %+v", rep, want)
	}
	expiryCalls := s.calls.take()
	if _, n, err := w.scheduler.PublishDue(ctx); err != nil || n != 1 {
		t.Errorf("PublishDue = %d, %v; want the due entry published", n, err)
	}
	if n, err := w.scheduler.Sweep(ctx); err != nil || n != 1 {
		t.Errorf("Sweep = %d, %v; want delivery 1 re-published", n, err)
	}
	schedulerCalls := s.calls.take()

	if err := w.ingest.Handle(ctx, []byte(`{"event_id":"evt_new","event_type":"order.created"}`)); err != nil {
		t.Fatal(err)
	}
	ingestCalls := s.calls.take()
	if n, err := store.HeldCount(ctx, s.Deliveries, "wh_paused"); err != nil || n != 2 {
		t.Errorf("held by wh_paused = %d, %v; want delivery 5 and the new one", n, err)
	}
	// An interrupted fan-out: the event is stored, its lease run out, one
	// of its two deliveries created.
	w.put(t, s.Events, &herald.Event{ID: "evt_cut", Type: "order.created", FanOutLeaseMS: 1,
		Payload: `{"event_id":"evt_cut","event_type":"order.created"}`})
	w.put(t, s.Deliveries, &herald.Delivery{ID: 7, WebhookID: "wh_live", EventID: "evt_cut",
		Status: herald.StatusPending, NextAttemptMS: ms(w.clock.Now())})
	s.calls.take()
	if err := w.ingest.Handle(ctx, []byte(`{"event_id":"evt_cut","event_type":"order.created"}`)); err != nil {
		t.Fatal(err)
	}
	resumeCalls := s.calls.take()
	cut := map[string]int64{}
	iter := s.Deliveries.Query().Where("event_id", "=", "evt_cut").Get(ctx, "id", "webhook_id")
	for {
		var d herald.Delivery
		if iter.Next(ctx, &d) != nil {
			break
		}
		cut[d.WebhookID] = d.ID
	}
	iter.Stop()
	if len(cut) != 2 || cut["wh_live"] != 7 || cut["wh_paused"] == 0 {
		t.Errorf("resumed fan-out: deliveries %v, want 7 kept and one created for wh_paused", cut)
	}

	for name, cs := range map[string][]call{"expiry tick": expiryCalls, "scheduler": schedulerCalls,
		"resumed fan-out": resumeCalls} {
		if sc := scans(cs); len(sc) > 0 {
			t.Errorf("%s: %v", name, sc)
		}
		for _, c := range cs {
			if c.Op == "Query" && c.Index == "" {
				t.Errorf("%s: a query of table %s without an index", name, c.Table)
			}
		}
		t.Logf("%s: %v", name, tally(cs, s.tableNames()))
	}
	// Ingest's first event loads its webhook table: the one scan it makes.
	if sc := scans(ingestCalls); len(sc) != 1 || !strings.Contains(sc[0], "WebhooksTable") {
		t.Errorf("ingest's first event: scans %v, want one of the webhooks table", sc)
	}
	t.Logf("ingest (first event): %v", tally(ingestCalls, s.tableNames()))
}

// ingestTableFollowsTheRevision: ingest (its own process, with a table
// following the revision) fans out to a webhook that another process
// created, and stops fanning out to one it disabled, within one interval;
// between writes it reads the revision once an interval and never scans.
func ingestTableFollowsTheRevision(t *testing.T, endpoint string) {
	ctx := context.Background()
	s := newStack(t, endpoint, "rev-")
	w := newWorld(t, s)
	writer := store.NewRevision(s.Schedule) // the other process's
	event := 0
	fanout := func() []string {
		t.Helper()
		event++
		id := fmt.Sprintf("evt_%d", event)
		if err := w.ingest.Handle(ctx, []byte(`{"event_id":"`+id+`","event_type":"order.created"}`)); err != nil {
			t.Fatal(err)
		}
		iter := s.Deliveries.Query().Where("event_id", "=", id).Get(ctx, "id", "webhook_id")
		defer iter.Stop()
		var hooks []string
		for {
			var d herald.Delivery
			if iter.Next(ctx, &d) != nil {
				break
			}
			hooks = append(hooks, d.WebhookID)
		}
		slices.Sort(hooks)
		return hooks
	}
	w.put(t, s.Webhooks, webhook(t, "wh_a", "https://example.com/a"))
	if got := fanout(); !slices.Equal(got, []string{"wh_a"}) {
		t.Fatalf("first event fanned out to %v", got)
	}
	w.clock.Advance(time.Second)
	fanout() // the settling reload
	s.calls.take()

	// Idle: ten intervals, an event in each, no write anywhere.
	for range 10 {
		w.clock.Advance(time.Second)
		fanout()
	}
	idle := tally(s.calls.take(), s.tableNames())
	if sc := idle["Scan webhooks"]; sc != 0 || idle["BatchGetItem schedule"] != 10 {
		t.Errorf("ten idle intervals: %v; want one revision read each and no scan", idle)
	}

	// Another process creates wh_b and disables wh_a, bumping the revision.
	w.put(t, s.Webhooks, webhook(t, "wh_b", "https://example.com/b"))
	if err := s.Webhooks.Update(ctx, &herald.Webhook{ID: "wh_a"}, docstore.Mods{"enabled": false}); err != nil {
		t.Fatal(err)
	}
	if err := writer.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fanout(); !slices.Equal(got, []string{"wh_a"}) {
		t.Fatalf("within the interval: %v, want the table as it was", got)
	}
	w.clock.Advance(time.Second)
	if got := fanout(); !slices.Equal(got, []string{"wh_b"}) {
		t.Fatalf("one interval after the write: fanned out to %v, want wh_b only", got)
	}
}

// callsPerDelivery counts the DynamoDB calls of one delivery on Lambda's
// wiring: ingest of one event that one webhook subscribes to (its webhook
// table loaded and current), then one successful attempt by deliver (a
// cold event cache: the event is read from the table). The counts are the
// README's.
func callsPerDelivery(t *testing.T, s *stack) {
	ctx := context.Background()
	w := newWorld(t, s)
	rcv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusOK) }))
	t.Cleanup(rcv.Close)
	w.put(t, s.Webhooks, webhook(t, "wh_1", rcv.URL))
	if err := w.revision.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	// Warm ingest's table: loaded, then settled an interval later. The
	// event counted comes within that interval, but after the last read of
	// the revision: it reads the revision (once per batch of messages
	// handled together, so that every webhook announced before the event was
	// published is matched), not the webhooks.
	for i := range 2 {
		if i > 0 {
			w.clock.Advance(time.Second)
		}
		if err := w.ingest.Handle(ctx, []byte(fmt.Sprintf(`{"event_id":"evt_warm%d","event_type":"x.y"}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		receiveAndAck(t, w.deliverSub)
	}
	s.calls.take()

	w.clock.Advance(time.Millisecond)
	if err := w.ingest.Handle(ctx, []byte(`{"event_id":"evt_1","event_type":"order.created","data":{"n":1}}`)); err != nil {
		t.Fatal(err)
	}
	ingestCalls := tally(s.calls.take(), s.tableNames())
	job := receiveAndAck(t, w.deliverSub)
	if err := w.deliver.Handle(ctx, job); err != nil {
		t.Fatal(err)
	}
	deliverCalls := tally(s.calls.take(), s.tableNames())
	d := &herald.Delivery{ID: mustJob(t, job).DeliveryID}
	if err := s.Deliveries.Get(ctx, d); err != nil || d.Status != herald.StatusSucceeded || d.ExpiresAt == 0 {
		t.Fatalf("delivery = %+v, %v; want succeeded with expires_at", d, err)
	}
	t.Logf("ingest of one event, one webhook (the revision read is one per batch of messages): %v", ingestCalls)
	t.Logf("deliver, one successful attempt: %v", deliverCalls)
	wantIngest := map[string]int{"PutItem events": 1, "PutItem deliveries": 1, "UpdateItem events": 1,
		"BatchGetItem schedule": 1}
	// The webhook is read twice: for the attempt, and for its health as the
	// success is recorded (a healthy webhook's costs no write).
	wantDeliver := map[string]int{"BatchGetItem deliveries": 1, "BatchGetItem webhooks": 2, "BatchGetItem events": 1,
		"PutItem deliveries": 2}
	if !mapsEqual(ingestCalls, wantIngest) || !mapsEqual(deliverCalls, wantDeliver) {
		t.Errorf("calls per delivery changed: ingest %v (want %v), deliver %v (want %v); update the README",
			ingestCalls, wantIngest, deliverCalls, wantDeliver)
	}
}

func receiveAndAck(t *testing.T, sub *pubsub.Subscription) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	return m.Body
}

func mustJob(t *testing.T, body []byte) herald.Job {
	t.Helper()
	j, err := herald.DecodeJob(body)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
