package consume_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/herald"
)

// queue is one test's own mem topic and subscription. The subscription exists
// before anything is published: mempubsub drops messages sent without one.
type queue struct {
	topic *pubsub.Topic
	sub   *pubsub.Subscription
}

func newQueue(t *testing.T, ackDeadline time.Duration) *queue {
	t.Helper()
	q := &queue{topic: mempubsub.NewTopic()}
	q.sub = mempubsub.NewSubscription(q.topic, ackDeadline)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = q.sub.Shutdown(ctx)
		_ = q.topic.Shutdown(ctx)
	})
	return q
}

func (q *queue) publish(t *testing.T, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if err := q.topic.Send(context.Background(), &pubsub.Message{Body: []byte(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

// run runs consume.Run until the returned stop is called (or the test ends);
// stop cancels it and fails the test unless Run returns nil within 5s.
func (q *queue) run(t *testing.T, h consume.Handler, cfg consume.Config) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- consume.Run(ctx, q.sub, h, cfg) }()
	var once sync.Once
	stop = func() {
		t.Helper()
		once.Do(func() {
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("Run returned %v after cancel, want nil", err)
				}
			case <-time.After(5 * time.Second):
				t.Errorf("Run did not return within 5s of cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// recorder is a handler that reports each body it is given on a channel and
// answers with result(body).
type recorder struct {
	seen   chan string
	result func(body string) error
}

func newRecorder(result func(string) error) *recorder {
	return &recorder{seen: make(chan string, 100), result: result}
}

func (r *recorder) handle(_ context.Context, body []byte) error {
	r.seen <- string(body)
	return r.result(string(body))
}

// next waits up to within for the handler to be given a message.
func (r *recorder) next(t *testing.T, within time.Duration) string {
	t.Helper()
	select {
	case b := <-r.seen:
		return b
	case <-time.After(within):
		t.Fatalf("handler not called within %v", within)
		return ""
	}
}

// none fails if the handler is given a message within d.
func (r *recorder) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case b := <-r.seen:
		t.Fatalf("handler called again with %q", b)
	case <-time.After(d):
	}
}

func TestRunAcksHandledMessage(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 500*time.Millisecond)
	rec := newRecorder(func(string) error { return nil })
	var stats consume.Stats
	stop := q.run(t, rec.handle, consume.Config{Stats: &stats})
	q.publish(t, "ok")
	if got := rec.next(t, 5*time.Second); got != "ok" {
		t.Fatalf("handled %q", got)
	}
	// Three ack deadlines: an unacknowledged message would be back by now.
	rec.none(t, 1500*time.Millisecond)
	stop()
	if r, d := stats.Received.Load(), stats.Done.Load(); r != 1 || d != 1 {
		t.Fatalf("Received, Done = %d, %d; want 1, 1", r, d)
	}
}

func TestRunAcksMalformedAndGoesOn(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 500*time.Millisecond)
	rec := newRecorder(func(body string) error {
		if body == "garbage" {
			return herald.Malformed("not a job", errors.New("bad JSON"))
		}
		return nil
	})
	var stats consume.Stats
	stop := q.run(t, rec.handle, consume.Config{Stats: &stats})
	q.publish(t, "garbage")
	if got := rec.next(t, 5*time.Second); got != "garbage" {
		t.Fatalf("handled %q", got)
	}
	// Run goes on to the next message, and the malformed one never returns.
	q.publish(t, "ok")
	if got := rec.next(t, 5*time.Second); got != "ok" {
		t.Fatalf("handled %q, want the next message", got)
	}
	rec.none(t, 1500*time.Millisecond)
	stop()
	if m, d, f := stats.Malformed.Load(), stats.Done.Load(), stats.Failed.Load(); m != 1 || d != 1 || f != 0 {
		t.Fatalf("Malformed, Done, Failed = %d, %d, %d; want 1, 1, 0", m, d, f)
	}
}

func TestRunLeavesFailedForRedelivery(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 500*time.Millisecond)
	var calls atomic.Int64
	rec := newRecorder(func(string) error {
		if calls.Add(1) == 1 {
			return errors.New("endpoint store unavailable")
		}
		return nil
	})
	var stats consume.Stats
	stop := q.run(t, rec.handle, consume.Config{Stats: &stats})
	q.publish(t, "job")
	rec.next(t, 5*time.Second)
	// Not acknowledged: back after the 500 ms ack deadline.
	if got := rec.next(t, 3*time.Second); got != "job" {
		t.Fatalf("redelivered %q", got)
	}
	rec.none(t, 1500*time.Millisecond) // done the second time
	stop()
	if r, f, d := stats.Received.Load(), stats.Failed.Load(), stats.Done.Load(); r != 2 || f != 1 || d != 1 {
		t.Fatalf("Received, Failed, Done = %d, %d, %d; want 2, 1, 1", r, f, d)
	}
}

func TestRunLimitsConcurrency(t *testing.T) {
	t.Parallel()
	q := newQueue(t, time.Minute)
	var mu sync.Mutex
	inFlight, most := 0, 0
	started := make(chan string, 10)
	release := make(chan struct{})
	h := func(_ context.Context, body []byte) error {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		started <- string(body)
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		return nil
	}
	var stats consume.Stats
	stop := q.run(t, h, consume.Config{Concurrency: 2, Stats: &stats})
	q.publish(t, "1", "2", "3", "4", "5")
	for range 2 {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("two handlers did not start")
		}
	}
	select {
	case b := <-started:
		t.Fatalf("a third handler started (%q) with two in flight", b)
	case <-time.After(500 * time.Millisecond):
	}
	close(release)
	for range 3 {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("the remaining messages were not handled")
		}
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if got := most; got != 2 {
		t.Fatalf("at most %d handlers ran at once, want 2", got)
	}
	if got := stats.Done.Load(); got != 5 {
		t.Fatalf("Done = %d, want 5", got)
	}
}

func TestRunFinishesInFlightOnCancel(t *testing.T) {
	t.Parallel()
	// The ack deadline must outlast the time the message is held (200 ms
	// below, more on a loaded machine), or the queue rightly redelivers it.
	q := newQueue(t, time.Second)
	started := make(chan struct{})
	release := make(chan struct{})
	ctxErr := make(chan error, 1)
	h := func(ctx context.Context, body []byte) error {
		close(started)
		<-release
		ctxErr <- ctx.Err() // shutdown must not cancel the message in hand
		return nil
	}
	var stats consume.Stats
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- consume.Run(ctx, q.sub, h, consume.Config{Stats: &stats}) }()
	q.publish(t, "in hand")
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("handler not called")
	}

	cancel()
	select {
	case err := <-errc:
		t.Fatalf("Run returned (%v) with a handler in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return once the handler finished")
	}
	if err := <-ctxErr; err != nil {
		t.Fatalf("handler context ended on shutdown: %v", err)
	}
	if got := stats.Done.Load(); got != 1 {
		t.Fatalf("Done = %d, want 1", got)
	}

	// Acknowledged: the message does not come back after its ack deadline.
	rctx, rcancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer rcancel()
	if m, err := q.sub.Receive(rctx); err == nil {
		m.Ack()
		t.Fatalf("message %q redelivered: not acknowledged", m.Body)
	}
}

func TestRunBoundsHandlerWithTimeout(t *testing.T) {
	t.Parallel()
	q := newQueue(t, time.Minute)
	var stats consume.Stats
	ended := make(chan error, 1)
	h := func(ctx context.Context, body []byte) error {
		<-ctx.Done()
		ended <- ctx.Err()
		return ctx.Err()
	}
	stop := q.run(t, h, consume.Config{Timeout: 50 * time.Millisecond, Stats: &stats})
	q.publish(t, "slow")
	select {
	case err := <-ended:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("handler context ended with %v, want DeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler not stopped by Timeout")
	}
	stop()
	if got := stats.Failed.Load(); got != 1 {
		t.Fatalf("Failed = %d, want 1", got)
	}
}

func TestRunReturnsSubscriptionError(t *testing.T) {
	t.Parallel()
	q := newQueue(t, time.Minute)
	if err := q.sub.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		errc <- consume.Run(context.Background(), q.sub, func(context.Context, []byte) error { return nil }, consume.Config{})
	}()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("Run on a shut-down subscription returned nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return on a shut-down subscription")
	}
}

// TestRunDrainsAfterCancel: with DrainIdle, messages already on the topic
// when the context ends are still handled before Run returns.
func TestRunDrainsAfterCancel(t *testing.T) {
	t.Parallel()
	topic := mempubsub.NewTopic()
	sub := mempubsub.NewSubscription(topic, time.Minute)
	defer topic.Shutdown(context.Background())
	defer sub.Shutdown(context.Background())
	var handled atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- consume.Run(ctx, sub, func(context.Context, []byte) error {
			handled.Add(1)
			return nil
		}, consume.Config{DrainIdle: 500 * time.Millisecond})
	}()
	cancel() // Run is (or soon will be) waiting in Receive
	for i := range 5 {
		if err := topic.Send(context.Background(), &pubsub.Message{Body: []byte{byte(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	if n := handled.Load(); n != 5 {
		t.Errorf("handled %d messages while draining, want 5", n)
	}
}
