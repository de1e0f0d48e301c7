package cache_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/match"
)

func newTable(t *testing.T) (*cache.Webhooks, *docstore.Collection, *heraldtest.Clock) {
	t.Helper()
	coll := heraldtest.Collection(t)
	clock := heraldtest.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	return cache.NewWebhooks(cache.WebhooksConfig{Collection: coll, Interval: time.Second, Now: clock.Now}), coll, clock
}

func put(t *testing.T, coll *docstore.Collection, w *herald.Webhook) {
	t.Helper()
	if err := coll.Put(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}

func ids(ws []*herald.Webhook) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.ID)
	}
	slices.Sort(out)
	return out
}

func TestMatchingSelectsEnabledSubscribers(t *testing.T) {
	table, coll, _ := newTable(t)
	put(t, coll, &herald.Webhook{ID: "orders", Enabled: true, Events: []string{"order.*"}})
	put(t, coll, &herald.Webhook{ID: "all", Enabled: true})
	put(t, coll, &herald.Webhook{ID: "off", Enabled: false, Events: []string{"order.*"}})
	put(t, coll, &herald.Webhook{ID: "users", Enabled: true, Events: []string{"user.*"}})
	put(t, coll, &herald.Webhook{ID: "broken", Enabled: true, Events: []string{"order..x"}})
	got, err := table.Matching(context.Background(), match.Event{Type: "order.created"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"all", "orders"}; !slices.Equal(ids(got), want) {
		t.Errorf("matching order.created: %v, want %v", ids(got), want)
	}
}

func TestOwnWritesSeenAtOnce(t *testing.T) {
	ctx := context.Background()
	table, coll, _ := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, URL: "https://one.example"})
	if w, err := table.Get(ctx, "a"); err != nil || w.URL != "https://one.example" {
		t.Fatalf("first read: %v, %v", w, err)
	}

	// Changed, created, deleted: each is seen by the next read, with no
	// time passing.
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, URL: "https://two.example"})
	table.Changed("a")
	put(t, coll, &herald.Webhook{ID: "b", Enabled: true})
	table.Changed("b")
	if w, err := table.Get(ctx, "a"); err != nil || w.URL != "https://two.example" {
		t.Errorf("after a change: %v, %v", w, err)
	}
	got, err := table.Matching(ctx, match.Event{Type: "x"})
	if err != nil || !slices.Equal(ids(got), []string{"a", "b"}) {
		t.Errorf("after a create: %v, %v", ids(got), err)
	}
	if err := coll.Delete(ctx, &herald.Webhook{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	table.Changed("a")
	if _, err := table.Get(ctx, "a"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("after a delete: %v, want ErrNotFound", err)
	}
}

func TestOtherWritesSeenAfterInterval(t *testing.T) {
	ctx := context.Background()
	table, coll, clock := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Paused: false})
	if _, err := table.Get(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	// Another process pauses it and adds a webhook; this one is not told.
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Paused: true})
	put(t, coll, &herald.Webhook{ID: "b", Enabled: true})

	clock.Advance(999 * time.Millisecond)
	if w, _ := table.Get(ctx, "a"); w.Paused {
		t.Error("the table was read again before its interval")
	}
	clock.Advance(time.Millisecond)
	if w, _ := table.Get(ctx, "a"); !w.Paused {
		t.Error("a write by another process is not seen after the interval")
	}
	if _, err := table.Get(ctx, "b"); err != nil {
		t.Errorf("a webhook created by another process: %v", err)
	}
}

func TestCopiesAreTheCallers(t *testing.T) {
	ctx := context.Background()
	table, coll, _ := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Name: "first"})
	w, _ := table.Get(ctx, "a")
	w.Name, w.Enabled = "changed by a caller", false
	if again, _ := table.Get(ctx, "a"); again.Name != "first" || !again.Enabled {
		t.Errorf("a caller's change reached the table: %+v", again)
	}
}

// Readers, writers and Changed at once, under -race: every read after the
// last Changed sees the last write.
func TestConcurrentReadsAndChanges(t *testing.T) {
	ctx := context.Background()
	table, coll, _ := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Name: "v0"})
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			for range 200 {
				if _, err := table.Matching(ctx, match.Event{Type: fmt.Sprint("t", r)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := 1; i <= 50; i++ {
		put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Name: fmt.Sprint("v", i)})
		table.Changed("a")
	}
	wg.Wait()
	if w, err := table.Get(ctx, "a"); err != nil || w.Name != "v50" {
		t.Errorf("after the last change: %+v, %v", w, err)
	}
}

func TestNilTableChangedIsANoOp(t *testing.T) {
	var table *cache.Webhooks
	table.Changed("a") // must not panic
}
