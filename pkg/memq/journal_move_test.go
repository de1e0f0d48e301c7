package memq

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gocloud.dev/pubsub"
)

// MoveJournal carries every message of one file, of every topic and
// subscription, to another that holds messages already, behind them, and
// removes the first file; a Broker on the second then has them all.
func TestMoveJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	from, to := filepath.Join(dir, "queue.db"), filepath.Join(dir, "herald.db")
	clock := &fakeClock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	send := func(path string, bodies ...string) {
		t.Helper()
		b := journaledBroker(t, clock, "orders", path, nil)
		b.OpenSubscription("orders", SubscriptionOptions{Name: "audit"})
		topic := b.OpenTopic("orders")
		for _, body := range bodies {
			if err := topic.Send(ctx, &pubsub.Message{Body: []byte(body), Metadata: map[string]string{"n": body}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := topic.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
	send(to, "already")
	send(from, "a", "b", "c")

	n, err := MoveJournal(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 { // three messages, two subscriptions
		t.Errorf("moved %d messages, want 6", n)
	}
	if _, err := os.Stat(from); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the moved file is still there: %v", err)
	}
	b := journaledBroker(t, clock, "orders", to, nil)
	for _, sub := range []string{"orders", "audit"} {
		msgs, _, _ := b.Topic("orders").subscription(sub).q.take(clock.Now(), 100, time.Hour)
		var got []string
		for _, m := range msgs {
			got = append(got, string(m.Body)+"/"+m.Metadata["n"])
		}
		if want := []string{"already/already", "a/a", "b/b", "c/c"}; !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", sub, got, want)
		}
	}
	if n, err := MoveJournal(from, to); n != 0 || err != nil {
		t.Errorf("moving a missing file: %d, %v; want 0, nil", n, err)
	}
	if n, err := MoveJournal(to, to); n != 0 || err != nil {
		t.Errorf("moving a file onto itself: %d, %v; want 0, nil", n, err)
	}
}
