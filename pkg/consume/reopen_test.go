package consume

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
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
		sub := mempubsub.NewSubscription(topic, time.Minute)
		opened.Add(1) // counted once it is subscribed to topic
		return sub, nil
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
	heraldtest.Eventually(t, 10*time.Second, func() bool { return opened.Load() > 0 },
		"no new subscription opened after the first shut down")
	send("two")
	receive("two")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunReopening = %v after ctx ended", err)
	}
}
