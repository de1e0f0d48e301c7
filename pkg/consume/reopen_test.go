package consume

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"
)

// TestRunReopeningOutlivesAFailedSubscription: once the subscription fails
// for good (here shut down under Run, as a failed acknowledgement leaves a
// gocloud subscription), RunReopening opens it again and the next message is
// handled; Run alone would have returned the error.
func TestRunReopeningOutlivesAFailedSubscription(t *testing.T) { // not parallel: sets the pause
	firstReopenPause = 10 * time.Millisecond
	t.Cleanup(func() { firstReopenPause = time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	topic := mempubsub.NewTopic()
	defer topic.Shutdown(context.Background())
	first := mempubsub.NewSubscription(topic, time.Minute)
	var opened atomic.Int32
	open := func(context.Context) (*pubsub.Subscription, error) {
		opened.Add(1)
		return mempubsub.NewSubscription(topic, time.Minute), nil
	}
	got := make(chan string, 4)
	done := make(chan error, 1)
	go func() {
		done <- RunReopening(ctx, first, open, func(_ context.Context, b []byte) error {
			got <- string(b)
			return nil
		}, Config{})
	}()
	send := func(body string) {
		if err := topic.Send(ctx, &pubsub.Message{Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	receive := func(want string) {
		select {
		case b := <-got:
			if b != want {
				t.Fatalf("handled %q, want %q", b, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q not handled", want)
		}
	}
	send("one")
	receive("one")
	if err := first.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// mempubsub gives a message to the subscriptions that exist when it is
	// sent: send once the new one is open.
	deadline := time.Now().Add(10 * time.Second)
	for opened.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	send("two")
	receive("two")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunReopening = %v after ctx ended", err)
	}
}
