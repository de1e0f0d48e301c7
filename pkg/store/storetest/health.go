package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/memq"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/store"
)

// healthThreshold is the checked webhook's unhealthy_after.
const healthThreshold = 2

// HealthStreaks checks that an endpoint's consecutive failures, its
// unhealthy mark and the webhook.endpoint.unhealthy and recovered events
// follow the attempt results as recorded, when many attempts to it are
// answered at once and handled by several deliver handlers.
//
// Each round ingests a seeded number of events and handles their attempts
// concurrently; the receiver holds every request until all have arrived
// (every handler has read the webhook), then answers them in seeded groups
// with seeded statuses (200 or 500), a group at once and the next once the
// group is recorded. After each group: the consecutive failures are one of
// the counts the group's results, in some order, make of the count before;
// the webhook is marked unhealthy exactly when they reach unhealthy_after;
// and the endpoint events published so far (by distinct event_id, as ingest
// keeps them) alternate unhealthy, recovered, unhealthy…, each recovered of
// the run its unhealthy announced, the last one unhealthy exactly when the
// webhook is marked.
func HealthStreaks(t *testing.T, c store.Collections, o Options) {
	o = o.withDefaults()
	ctx := context.Background()
	clock := heraldtest.NewClock(t0)
	rcv := newGatedReceiver()
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	t.Cleanup(rcv.releaseAll) // first: Close waits for the requests held

	const id, eventType = "wh_health_streaks", "health.streaks"
	w := newWebhook(t, id, eventType, srv.URL)
	w.UnhealthyAfter = healthThreshold
	table := o.table(c, clock.Now)
	if err := (store.WebhookWrites{Coll: c.Webhooks, Table: table}).Create(ctx, w); err != nil {
		t.Fatal(err)
	}
	enq := &heraldtest.Enqueuer{}
	in, err := ingest.New(ingest.Config{Webhooks: c.Webhooks, Events: c.Events, Deliveries: c.Deliveries,
		Enqueuer: enq, Table: table, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	own := newEventLog(t, herald.EventEndpointUnhealthy, herald.EventEndpointRecovered)
	handlers := make([]*deliver.Handler, o.Handlers)
	for i := range handlers {
		handlers[i], err = deliver.New(deliver.Config{Webhooks: c.Webhooks, Events: c.Events, Deliveries: c.Deliveries,
			Enqueuer: &heraldtest.Enqueuer{}, Ingest: own.topic, Sealer: sealer, Table: table, Now: clock.Now,
			Schedule: retry.Schedule{time.Hour},
			Client:   outbound.NewClient(outbound.ClientConfig{Timeout: time.Minute, AllowPrivate: true})})
		if err != nil {
			t.Fatal(err)
		}
	}
	count, off := int64(0), 0
	for r := range o.Rounds {
		rnd := rng(o, r)
		clock.Advance(time.Second)
		attempts := 3 + rnd.IntN(6)
		jobs := len(enq.Got())
		for n := range attempts {
			if err := in.Handle(ctx, event(eventType, r, n)); err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		done := map[int64]chan error{}
		for _, e := range enq.Got()[jobs:] {
			job, _ := json.Marshal(e.Job)
			ids = append(ids, e.Job.DeliveryID)
			rcv.expect(e.Job.DeliveryID, rnd.IntN(5) < 3)
			ch := make(chan error, 1)
			done[e.Job.DeliveryID] = ch
			h := handlers[rnd.IntN(len(handlers))]
			go func() { ch <- h.Handle(ctx, job) }()
		}
		heraldtest.Eventually(t, time.Minute, func() bool { return rcv.arrived() == len(ids) },
			"round %d: %d of %d attempts arrived", r, rcv.arrived(), len(ids))
		rnd.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for len(ids) > 0 {
			group := ids[:min(len(ids), 1+rnd.IntN(3))]
			ids = ids[len(group):]
			var failed []bool
			for _, d := range group {
				failed = append(failed, rcv.release(d))
			}
			for _, d := range group {
				if err := <-done[d]; err != nil {
					t.Fatalf("round %d: delivery %d: %v", r, d, err)
				}
			}
			got, err := (store.WebhookWrites{Coll: c.Webhooks}).Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			events := own.drain(t)
			if msg := checkHealth(got, count, failed, events); msg != "" {
				off++
				t.Errorf("round %d, results %v after %d failures: %s", r, failed, count, msg)
			}
			count = got.ConsecutiveFailures
		}
		rcv.reset()
	}
	if off > 0 {
		t.Logf("health was off after %d groups of results, in %d rounds", off, o.Rounds)
	}
}

// checkHealth says what is wrong with w's health after the results failed
// (true: a failure), recorded in any order on before consecutive failures,
// given the endpoint events published so far; "" when nothing is.
func checkHealth(w *herald.Webhook, before int64, failed []bool, events []endpointEvent) string {
	if !slicesContains(possibleCounts(before, failed), w.ConsecutiveFailures) {
		return fmt.Sprintf("%d consecutive failures, want one of %v", w.ConsecutiveFailures, possibleCounts(before, failed))
	}
	if w.Unhealthy != (w.ConsecutiveFailures >= healthThreshold) {
		return fmt.Sprintf("unhealthy = %v with %d consecutive failures (unhealthy_after %d)",
			w.Unhealthy, w.ConsecutiveFailures, healthThreshold)
	}
	for i, e := range events {
		want := herald.EventEndpointUnhealthy
		if i%2 == 1 {
			want = herald.EventEndpointRecovered
		}
		if e.Type != want {
			return fmt.Sprintf("endpoint event %d is %s (%s), want %s: events %s", i, e.Type, e.ID, want, tail(events[:i+1]))
		}
		if i%2 == 1 && e.Run != events[i-1].Run {
			return fmt.Sprintf("recovered %s ends another run than unhealthy %s announced", e.ID, events[i-1].ID)
		}
	}
	if last := len(events)%2 == 1; last != w.Unhealthy {
		return fmt.Sprintf("marked unhealthy = %v, but the endpoint events %s say %v", w.Unhealthy, tail(events), last)
	}
	return ""
}

// possibleCounts returns the consecutive failures that results failed make
// of before, recorded in every order.
func possibleCounts(before int64, failed []bool) []int64 {
	if len(failed) == 0 {
		return []int64{before}
	}
	var out []int64
	for i, f := range failed {
		next := int64(0)
		if f {
			next = before + 1
		}
		rest := append(append([]bool(nil), failed[:i]...), failed[i+1:]...)
		for _, c := range possibleCounts(next, rest) {
			if !slicesContains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func slicesContains(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// gatedReceiver answers each delivery (by its Delivery-Id header) with the
// status expected for it, once it is released.
type gatedReceiver struct {
	mu     sync.Mutex
	gates  map[int64]chan struct{}
	fail   map[int64]bool
	arrivN int
}

func newGatedReceiver() *gatedReceiver {
	return &gatedReceiver{gates: map[int64]chan struct{}{}, fail: map[int64]bool{}}
}

// expect makes delivery id wait for its release, then answer 500 when fail
// is set, else 200.
func (g *gatedReceiver) expect(id int64, fail bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gates[id], g.fail[id] = make(chan struct{}), fail
}

// release lets delivery id's request be answered; it reports whether the
// answer is a failure.
func (g *gatedReceiver) release(id int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.gates[id])
	return g.fail[id]
}

// releaseAll lets every request held be answered.
func (g *gatedReceiver) releaseAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for id, gate := range g.gates {
		select {
		case <-gate:
		default:
			close(gate)
		}
		delete(g.gates, id)
	}
}

// arrived is how many requests arrived since the last reset.
func (g *gatedReceiver) arrived() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.arrivN
}

func (g *gatedReceiver) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.arrivN = 0
}

func (g *gatedReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.Header.Get("X-Herald-Delivery-Id"), 10, 64)
	g.mu.Lock()
	gate, fail := g.gates[id], g.fail[id]
	g.arrivN++
	g.mu.Unlock()
	if gate == nil {
		rw.WriteHeader(http.StatusNotFound)
		return
	}
	<-gate
	if fail {
		rw.WriteHeader(http.StatusInternalServerError)
		return
	}
	rw.WriteHeader(http.StatusOK)
}

// endpointEvent is an unhealthy or recovered event as published.
type endpointEvent struct {
	ID, Type string
	// Run is the run of failures the event is about (its failing_since).
	Run string
}

func (e endpointEvent) String() string {
	return strings.TrimPrefix(e.Type, "webhook.endpoint.") + "(" + e.Run + ")"
}

// tail is the last few of events, for a message.
func tail(events []endpointEvent) string {
	if len(events) > 4 {
		return fmt.Sprintf("…%v", events[len(events)-4:])
	}
	return fmt.Sprint(events)
}

// eventLog is the own-events topic of the handlers, read in order of
// publication and kept by distinct event_id, as ingest keeps them: those of
// its types only.
type eventLog struct {
	topic *pubsub.Topic
	sub   *pubsub.Subscription
	types []string
	seen  map[string]bool
	kept  []endpointEvent
	marks int
}

func newEventLog(t *testing.T, types ...string) *eventLog {
	// memq wakes a waiting receiver on publish (mempubsub polls).
	broker := memq.NewBroker(memq.BrokerOptions{})
	topic := broker.OpenTopic("own")
	l := &eventLog{topic: topic, sub: broker.OpenSubscription("own", memq.SubscriptionOptions{}), types: types,
		seen: map[string]bool{}}
	t.Cleanup(func() {
		_ = l.sub.Shutdown(context.Background())
		_ = topic.Shutdown(context.Background())
	})
	return l
}

// drain reads every event published so far (up to a mark it publishes)
// and returns the endpoint events kept.
func (l *eventLog) drain(t *testing.T) []endpointEvent {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l.marks++
	mark := "mark-" + strconv.Itoa(l.marks)
	if err := l.topic.Send(ctx, &pubsub.Message{Body: []byte(mark)}); err != nil {
		t.Fatal(err)
	}
	for {
		m, err := l.sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		if string(m.Body) == mark {
			return l.kept
		}
		var ev struct {
			EventID   string `json:"event_id"`
			EventType string `json:"event_type"`
			Data      struct {
				FailingSince time.Time `json:"failing_since"`
			} `json:"data"`
		}
		if err := json.Unmarshal(m.Body, &ev); err != nil {
			continue // a mark of an earlier drain
		}
		if !slices.Contains(l.types, ev.EventType) {
			continue
		}
		if l.seen[ev.EventID] {
			continue
		}
		l.seen[ev.EventID] = true
		l.kept = append(l.kept, endpointEvent{ID: ev.EventID, Type: ev.EventType,
			Run: ev.Data.FailingSince.Format(time.RFC3339Nano)})
	}
}
