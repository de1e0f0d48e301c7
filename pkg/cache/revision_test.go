package cache_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/match"
	"github.com/heraldhq/herald/pkg/store"
)

func TestRevisionBumpCountsEveryWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rev := store.NewRevision(heraldtest.Collection(t))
	if n, err := rev.Read(ctx); err != nil || n != 0 {
		t.Fatalf("Read before any bump = %d, %v; want 0", n, err)
	}
	var wg sync.WaitGroup
	for range 20 { // concurrent first bumps race to create the document
		wg.Go(func() {
			if err := rev.Bump(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n, err := rev.Read(ctx); err != nil || n != 20 {
		t.Fatalf("Read after 20 bumps = %d, %v", n, err)
	}
	var none *store.Revision
	if err := none.Bump(ctx); err != nil {
		t.Fatalf("nil Revision: Bump = %v", err)
	}
}

// TestRevisionDrivenTable: a table with a Revision, in a process that makes
// none of the writes, sees a webhook another process wrote (and bumped the
// revision for) within one interval — and without a bump reads nothing but
// the revision, however much time passes.
func TestRevisionDrivenTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	webhooks, schedule := heraldtest.Collection(t), heraldtest.Collection(t)
	clock := heraldtest.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	reader := cache.NewWebhooks(cache.WebhooksConfig{Collection: webhooks, Interval: time.Second,
		Revision: store.NewRevision(schedule), Now: clock.Now})
	writer := store.NewRevision(schedule) // another process's handle on the same store
	matching := func() []string {
		t.Helper()
		got, err := reader.Matching(ctx, match.Event{Type: "order.created"})
		if err != nil {
			t.Fatal(err)
		}
		return ids(got)
	}
	put(t, webhooks, &herald.Webhook{ID: "a", Enabled: true})
	if got := matching(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("first load: %v", got)
	}
	clock.Advance(time.Second) // the first load settles: read once more
	matching()

	// Written behind the table's back, with no bump: never seen.
	put(t, webhooks, &herald.Webhook{ID: "unannounced", Enabled: true})
	for range 5 {
		clock.Advance(time.Second)
		if got := matching(); !slices.Equal(got, []string{"a"}) {
			t.Fatalf("the table was read again with the revision unchanged: %v", got)
		}
	}

	// Another process creates a webhook and bumps: seen one interval on.
	put(t, webhooks, &herald.Webhook{ID: "b", Enabled: true})
	if err := writer.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(999 * time.Millisecond)
	if got := matching(); slices.Contains(got, "b") {
		t.Fatalf("read again before the interval: %v", got)
	}
	clock.Advance(time.Millisecond)
	if got := matching(); !slices.Equal(got, []string{"a", "b", "unannounced"}) {
		t.Fatalf("after the bump and one interval: %v, want a, b and unannounced", got)
	}

	// A write that the first reload after a bump missed (an eventually
	// consistent read) is seen by the settling reload an interval later.
	put(t, webhooks, &herald.Webhook{ID: "late", Enabled: true})
	clock.Advance(time.Second)
	if got := matching(); !slices.Contains(got, "late") {
		t.Fatalf("the reload after a bump was not repeated an interval later: %v", got)
	}
}

// TestMatchingAsOfSeesWhatWasAnnouncedBefore: a table in a process that
// makes none of the writes (ingest on Lambda) matches an event against every
// webhook written and announced before the event's handling began, with no
// interval to wait — the admin API answered the create, then the event was
// published — and calls that began before one read of the revision share it.
func TestMatchingAsOfSeesWhatWasAnnouncedBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	webhooks, schedule := heraldtest.Collection(t), heraldtest.Collection(t)
	clock := heraldtest.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	rev := store.NewRevision(schedule)
	reader := cache.NewWebhooks(cache.WebhooksConfig{Collection: webhooks, Interval: time.Second, Revision: rev,
		Now: clock.Now})
	writer := store.NewRevision(schedule) // another process's handle on the same store
	asOf := func(at time.Time) []string {
		t.Helper()
		got, err := reader.MatchingAsOf(ctx, match.Event{Type: "order.created"}, at)
		if err != nil {
			t.Fatal(err)
		}
		return ids(got)
	}
	create := func(id string) {
		t.Helper()
		put(t, webhooks, &herald.Webhook{ID: id, Enabled: true})
		if err := writer.Bump(ctx); err != nil {
			t.Fatal(err)
		}
	}
	create("a")
	if got := asOf(clock.Now()); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("first load: %v", got)
	}

	// Created and announced; then an event is published, and its handling
	// begins a millisecond later: it sees b, long before the interval.
	clock.Advance(time.Millisecond)
	create("b")
	clock.Advance(time.Millisecond)
	began := clock.Now()
	if got := asOf(began); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("an event handled after b was created and announced: %v, want a and b", got)
	}
	// Matching without asOf keeps to the interval: nothing is read.
	create("c")
	if got, _ := reader.Matching(ctx, match.Event{Type: "order.created"}); slices.Contains(ids(got), "c") {
		t.Fatalf("Matching read the store again before the interval: %v", ids(got))
	}
	// An event whose handling began before the last read of the revision
	// shares that read: c, created after it, is not read for it.
	if got := asOf(began); slices.Contains(got, "c") {
		t.Fatalf("a call that began before the last read read again: %v", got)
	}
	clock.Advance(time.Millisecond)
	if got := asOf(clock.Now()); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("an event handled after c was created: %v, want a, b and c", got)
	}

	// Without a Revision (local mode: the process makes the writes and
	// reports each), asOf changes nothing.
	local := cache.NewWebhooks(cache.WebhooksConfig{Collection: webhooks, Interval: time.Second, Now: clock.Now})
	if _, err := local.Matching(ctx, match.Event{Type: "x"}); err != nil {
		t.Fatal(err)
	}
	put(t, webhooks, &herald.Webhook{ID: "d", Enabled: true})
	clock.Advance(time.Millisecond)
	if got, _ := local.MatchingAsOf(ctx, match.Event{Type: "x"}, clock.Now()); slices.Contains(ids(got), "d") {
		t.Fatalf("a table without a revision read again before its interval: %v", ids(got))
	}
}
