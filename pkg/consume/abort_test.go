package consume_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/consume"
)

// TestRunAbortCutsOffMessagesInHand stops Run with a handler in flight, then
// closes Abort: the handler's context is cancelled, Run returns, and the
// message is left for redelivery.
func TestRunAbortCutsOffMessagesInHand(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 300*time.Millisecond)
	started := make(chan struct{}, 1)
	ended := make(chan error, 1)
	h := func(ctx context.Context, body []byte) error {
		started <- struct{}{}
		<-ctx.Done()
		ended <- ctx.Err()
		return ctx.Err()
	}
	var stats consume.Stats
	abort := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- consume.Run(ctx, q.sub, h, consume.Config{Abort: abort, Stats: &stats}) }()
	q.publish(t, "in hand")
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("handler not called")
	}

	cancel()
	select {
	case err := <-errc:
		t.Fatalf("Run returned (%v) before Abort with a handler in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(abort)
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return once Abort was closed")
	}
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("handler context ended with %v, want Canceled", err)
	}
	if got := stats.Failed.Load(); got != 1 {
		t.Fatalf("Failed = %d, want 1", got)
	}

	// Not acknowledged: the queue hands the message out again.
	rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer rcancel()
	m, err := q.sub.Receive(rctx)
	if err != nil {
		t.Fatalf("message not redelivered after Abort: %v", err)
	}
	m.Ack()
	if string(m.Body) != "in hand" {
		t.Fatalf("redelivered %q", m.Body)
	}
}
