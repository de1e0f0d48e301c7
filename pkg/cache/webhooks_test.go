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

// A write the table was not told of is seen at the next whole reload.
func TestOtherWritesSeenAfterInterval(t *testing.T) {
	ctx := context.Background()
	table, coll, clock := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Paused: false})
	if _, err := table.Get(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	// Another process pauses it and adds a webhook; this one is not told.
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Paused: true})

	clock.Advance(999 * time.Millisecond)
	if w, _ := table.Get(ctx, "a"); w.Paused {
		t.Error("the table was read again before its interval")
	}
	clock.Advance(time.Millisecond)
	if w, _ := table.Get(ctx, "a"); !w.Paused {
		t.Error("a write by another process is not seen after the interval")
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

// A webhook written without a Changed (by another writer) and missing from
// the table is looked up in the store before it counts as gone.
func TestMissingWebhookIsLookedUp(t *testing.T) {
	ctx := context.Background()
	table, coll, _ := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true})
	if _, err := table.Get(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	put(t, coll, &herald.Webhook{ID: "new", Enabled: true, Name: "made elsewhere"})
	if w, err := table.Get(ctx, "new"); err != nil || w.Name != "made elsewhere" {
		t.Fatalf("a webhook missing from the table: %+v, %v", w, err)
	}
	if _, err := table.Get(ctx, "never"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("a webhook in neither: %v, want ErrNotFound", err)
	}
}

// When the store fails, a loaded table is served as it was; a table never
// loaded fails its callers.
func TestStoreFailureServesTheTableAsItWas(t *testing.T) {
	ctx := context.Background()
	table, coll, clock := newTable(t)
	put(t, coll, &herald.Webhook{ID: "a", Enabled: true, Name: "v1"})
	if _, err := table.Get(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	table.Changed("a")
	if w, err := table.Get(ctx, "a"); err != nil || w.Name != "v1" {
		t.Errorf("refetch failing: %+v, %v; want the table's copy", w, err)
	}
	clock.Advance(time.Minute)
	if got, err := table.Matching(ctx, match.Event{Type: "x"}); err != nil || len(got) != 1 {
		t.Errorf("reload failing: %v, %v; want the table as it was", ids(got), err)
	}

	fresh := cache.NewWebhooks(cache.WebhooksConfig{Collection: coll})
	if _, err := fresh.Get(ctx, "a"); err == nil {
		t.Error("a table never loaded served a read of a failing store")
	}
}

// Matching returns webhooks in id order, as a scan of the store does.
func TestMatchingIsInIDOrder(t *testing.T) {
	table, coll, _ := newTable(t)
	for _, id := range []string{"wh_c", "wh_a", "wh_d", "wh_b"} {
		put(t, coll, &herald.Webhook{ID: id, Enabled: true})
	}
	got, err := table.Matching(context.Background(), match.Event{Type: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, w := range got {
		order = append(order, w.ID)
	}
	if want := []string{"wh_a", "wh_b", "wh_c", "wh_d"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

// TestUpdatesDoNotRaceWholeReads: an in-memory collection changes a
// document in place; Update keeps that from overlapping the table's reads of
// the whole collection (run with -race: an update under a reload's query was
// a data race in memdocstore).
func TestUpdatesDoNotRaceWholeReads(t *testing.T) {
	ctx := context.Background()
	coll := heraldtest.Collection(t)
	// Interval 1 ns: every read of the table reads the whole collection.
	table := cache.NewWebhooks(cache.WebhooksConfig{Collection: coll, Interval: time.Nanosecond})
	for i := range 20 {
		put(t, coll, &herald.Webhook{ID: fmt.Sprint("w", i), Enabled: true, Events: []string{"a.b"}})
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 200 {
			if _, err := table.Matching(ctx, match.Event{Type: "a.b"}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for i := range 400 {
		id := fmt.Sprint("w", i%20)
		err := table.Writing(func() error {
			return coll.Update(ctx, &herald.Webhook{ID: id}, docstore.Mods{"pause_dropped": docstore.Increment(1), "name": fmt.Sprint("n", i)})
		})
		table.Changed(id)
		if err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
