package memq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/driver"
	"gocloud.dev/pubsub/drivertest"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// journalHarness runs gocloud's conformance suite on a Broker whose every
// topic is journaled, all in one file.
type journalHarness struct {
	harness
	path string
}

func newJournalHarness(_ context.Context, t *testing.T) (drivertest.Harness, error) {
	return &journalHarness{
		harness: harness{b: NewBroker(BrokerOptions{})},
		path:    filepath.Join(t.TempDir(), "queue.db"),
	}, nil
}

func (h *journalHarness) CreateTopic(_ context.Context, testName string) (driver.Topic, func(), error) {
	if err := h.b.OpenJournal(testName, h.path); err != nil {
		return nil, nil, err
	}
	return &topicDriver{t: h.b.Topic(testName)}, func() {}, nil
}

func (h *journalHarness) Close() { _ = h.b.Close() }

func TestConformanceJournaled(t *testing.T) {
	drivertest.RunConformanceTests(t, newJournalHarness, []drivertest.AsTest{asTest{}})
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// delayed returns a message delayed by d.
func delayed(body string, d time.Duration) *pubsub.Message {
	return &pubsub.Message{Body: []byte(body), Metadata: map[string]string{"n": body}, BeforeSend: func(as func(any) bool) error {
		var o *SendOptions
		if as(&o) {
			o.Delay = d
		}
		return nil
	}}
}

// journaledBroker returns a Broker on clock whose topic is journaled in
// path; it is closed when the test ends, if not before.
func journaledBroker(t *testing.T, clock *fakeClock, topic, path string, log *slog.Logger) *Broker {
	t.Helper()
	b := NewBroker(BrokerOptions{Now: clock.Now, Logger: log})
	if err := b.OpenJournal(topic, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// drain takes every message of s due at now, without acking.
func drain(s *Subscription, now time.Time) map[string]*driver.Message {
	got := map[string]*driver.Message{}
	msgs, _, _ := s.q.take(now, 1<<20, time.Hour)
	for _, m := range msgs {
		got[string(m.Body)] = m
	}
	return got
}

// A journaled topic's messages outlive its Broker: a new Broker on the
// same file gets every message not acked, delayed ones at their due time,
// in every subscription, acked ones not at all.
func TestJournalReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "queue.db")
	clock := &fakeClock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	b := journaledBroker(t, clock, "orders", path, nil)
	topic := b.OpenTopic("orders")
	sub := b.OpenSubscription("orders", SubscriptionOptions{})
	audit := b.OpenSubscription("orders", SubscriptionOptions{Name: "audit"})
	const n, delay = 20, time.Hour
	for i := range n {
		d := time.Duration(0)
		if i%4 == 0 {
			d = delay
		}
		if err := topic.Send(ctx, delayed(fmt.Sprint(i), d)); err != nil {
			t.Fatal(err)
		}
	}
	acked := map[string]bool{}
	for range 5 { // acked: gone for good
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		acked[string(m.Body)] = true
	}
	if _, err := sub.Receive(ctx); err != nil { // received, not acked
		t.Fatal(err)
	}
	for _, s := range []interface{ Shutdown(context.Context) error }{topic, sub, audit} {
		if err := s.Shutdown(ctx); err != nil { // Shutdown sends pending acks
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b2 := journaledBroker(t, clock, "orders", path, nil)
	tp := b2.Topic("orders")
	for _, tc := range []struct {
		sub     string
		skipped map[string]bool
	}{{"orders", acked}, {"audit", nil}} {
		s := tp.subscription(tc.sub)
		now := drain(s, clock.Now())
		later := drain(s, clock.Now().Add(delay))
		for i := range n {
			body := fmt.Sprint(i)
			got, isLater := now[body], false
			if got == nil {
				got, isLater = later[body], true
			}
			switch {
			case tc.skipped[body]:
				if got != nil {
					t.Errorf("%s: acked message %s delivered again", tc.sub, body)
				}
			case got == nil:
				t.Errorf("%s: message %s lost", tc.sub, body)
			case isLater != (i%4 == 0):
				t.Errorf("%s: message %s available later %v, want %v", tc.sub, body, isLater, i%4 == 0)
			case got.Metadata["n"] != body:
				t.Errorf("%s: message %s metadata %v", tc.sub, body, got.Metadata)
			}
		}
	}
}

// Acks after a reopen delete the restored messages from the journal.
func TestJournalAckAfterReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "queue.db")
	clock := &fakeClock{now: time.Unix(1000, 0)}
	b := journaledBroker(t, clock, "q", path, nil)
	topic := b.OpenTopic("q")
	for i := range 3 {
		if err := topic.Send(ctx, delayed(fmt.Sprint(i), 0)); err != nil {
			t.Fatal(err)
		}
	}
	_ = topic.Shutdown(ctx)
	_ = b.Close()
	for round, want := range []int{3, 0} {
		b := journaledBroker(t, clock, "q", path, nil)
		s := b.Topic("q").subscription("q")
		got := drain(s, clock.Now())
		if len(got) != want {
			t.Fatalf("round %d: %d messages, want %d", round, len(got), want)
		}
		var ids []driver.AckID
		for _, m := range got {
			ids = append(ids, m.AckID)
		}
		d := &subscriptionDriver{s: s, now: clock.Now, ackDeadline: time.Minute}
		if err := d.SendAcks(ctx, ids); err != nil {
			t.Fatal(err)
		}
		_ = b.Close()
	}
}

// Messages a topic held in memory before it got its journal are journaled
// then; only one of topic and subscription needs to name the journal.
func TestJournalAttachLater(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "queue.db")
	o := &URLOpener{Broker: NewBroker(BrokerOptions{})}
	topic, err := o.OpenTopicURL(ctx, mustURL(t, "memq://late"))
	if err != nil {
		t.Fatal(err)
	}
	if err := topic.Send(ctx, &pubsub.Message{Body: []byte("before")}); err != nil {
		t.Fatal(err)
	}
	sub, err := o.OpenSubscriptionURL(ctx, mustURL(t, "memq://late?journal="+path))
	if err != nil {
		t.Fatal(err)
	}
	if err := topic.Send(ctx, &pubsub.Message{Body: []byte("after")}); err != nil { // the handle opened before
		t.Fatal(err)
	}
	if _, err := o.OpenTopicURL(ctx, mustURL(t, "memq://late?journal="+path+".other")); err == nil {
		t.Error("a second journal file for a journaled topic: no error")
	}
	_ = topic.Shutdown(ctx)
	_ = sub.Shutdown(ctx)
	_ = o.Broker.Close()

	b := journaledBroker(t, &fakeClock{now: time.Now()}, "late", path, nil)
	got := drain(b.Topic("late").subscription("late"), time.Now())
	if len(got) != 2 || got["before"] == nil || got["after"] == nil {
		t.Errorf("restored %v, want before and after", got)
	}
}

// One file serves several topics and Brokers; it stays open until the
// last of them closes.
func TestJournalSharedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "queue.db")
	clock := &fakeClock{now: time.Now()}
	b1 := journaledBroker(t, clock, "a", path, nil)
	if err := b1.OpenJournal("b", path); err != nil {
		t.Fatal(err)
	}
	b2 := journaledBroker(t, clock, "c", path, nil)
	if err := b1.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b1.OpenTopic("a").Send(ctx, &pubsub.Message{Body: []byte("x")}); !errors.Is(err, ErrClosed) {
		t.Errorf("send on a closed Broker: %v, want ErrClosed", err)
	}
	if err := b2.OpenTopic("c").Send(ctx, &pubsub.Message{Body: []byte("x")}); err != nil {
		t.Fatalf("send on the Broker still open: %v", err)
	}
	if err := b2.Close(); err != nil {
		t.Fatal(err)
	}
	if boltfile.IsOpen(path) {
		t.Error("the file is still open after its last Broker closed")
	}
}

// A journal entry that cannot be read back is logged, moved aside and
// skipped; the rest loads.
func TestJournalCorruptEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "queue.db")
	clock := &fakeClock{now: time.Now()}
	b := journaledBroker(t, clock, "q", path, nil)
	topic := b.OpenTopic("q")
	for _, body := range []string{"a", "b", "c"} {
		if err := topic.Send(ctx, &pubsub.Message{Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	_ = b.Close()
	corrupt(t, path, "q")

	for round, wantLogged := range []int{3, 0} { // then moved aside
		var log bytes.Buffer
		b := journaledBroker(t, clock, "q", path, slog.New(slog.NewTextHandler(&log, nil)))
		got := drain(b.Topic("q").subscription("q"), clock.Now())
		if len(got) != 2 || got["a"] == nil || got["c"] == nil {
			t.Errorf("round %d: loaded %v, want a and c", round, got)
		}
		if n := bytes.Count(log.Bytes(), []byte("unreadable journal entry")); n != wantLogged {
			t.Errorf("round %d: %d entries logged:\n%s", round, n, log.String())
		}
		_ = b.Close()
	}
}
