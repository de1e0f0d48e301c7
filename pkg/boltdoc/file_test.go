package boltdoc

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

func openURL(t *testing.T, u string) *docstore.Collection {
	t.Helper()
	coll, err := docstore.OpenCollection(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return coll
}

// TestReopenKeepsDocumentsAndRevisions writes through a URL, closes, and
// reopens: documents, revisions and their checks survive.
func TestReopenKeepsDocumentsAndRevisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	u := "bolt://deliveries/id?file=" + url.QueryEscape(path) + "&index=webhook_id,id"

	coll := openURL(t, u)
	d := makeDelivery(7)
	if err := coll.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	oldRev := d.DocstoreRevision
	if err := coll.Update(ctx, d, docstore.Mods{"status": herald.StatusSucceeded}); err != nil {
		t.Fatal(err)
	}
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v, %v; want 0600", st.Mode(), err)
	}

	coll = openURL(t, u)
	defer coll.Close()
	got := &herald.Delivery{ID: 7}
	if err := coll.Get(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Status != herald.StatusSucceeded || got.DocstoreRevision != d.DocstoreRevision {
		t.Fatalf("after reopen: status %q rev %v; want %q rev %v", got.Status, got.DocstoreRevision, herald.StatusSucceeded, d.DocstoreRevision)
	}
	stale := *got
	stale.DocstoreRevision = oldRev
	if err := coll.Replace(ctx, &stale); gcerrors.Code(err) != gcerrors.FailedPrecondition {
		t.Fatalf("replace with a revision from before reopen: %v, want FailedPrecondition", err)
	}
	if err := coll.Put(ctx, got); err != nil { // the current revision still works
		t.Fatal(err)
	}
	if got.DocstoreRevision.(int64) <= d.DocstoreRevision.(int64) {
		t.Fatalf("revision went from %v to %v; want it to grow across reopen", d.DocstoreRevision, got.DocstoreRevision)
	}
}

// TestIndexesFollowDeclaration reopens a collection with other indexes: new
// ones are built from the stored documents, undeclared ones dropped (and
// rebuilt if declared again, so they never serve stale entries).
func TestIndexesFollowDeclaration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	open := func(index string) *docstore.Collection {
		return openURL(t, "bolt://deliveries/id?file="+url.QueryEscape(path)+"&index="+index)
	}
	byEvent := func(coll *docstore.Collection) int {
		plan, err := coll.Query().Where("event_id", "=", "ev1").Plan()
		if err != nil || !strings.HasPrefix(plan, "index event_id") {
			t.Fatalf("plan %q, %v", plan, err)
		}
		it := coll.Query().Where("event_id", "=", "ev1").Get(ctx)
		defer it.Stop()
		n := 0
		for it.Next(ctx, &herald.Delivery{}) == nil {
			n++
		}
		return n
	}

	coll := open("event_id")
	for i := int64(1); i <= 40; i++ {
		if err := coll.Put(ctx, makeDelivery(i)); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, coll)

	coll = open("webhook_id,id")                            // drops event_id
	if err := coll.Put(ctx, makeDelivery(41)); err != nil { // ev1: 41 % 40
		t.Fatal(err)
	}
	mustClose(t, coll)

	coll = open("event_id") // rebuilt, so it has delivery 41
	defer coll.Close()
	if n := byEvent(coll); n != 2 {
		t.Fatalf("event ev1: %d deliveries, want 2", n)
	}
}

// TestReopenWithOtherIndexesWhileOpen opens one collection twice with
// different indexes: the first handle's index is dropped, and its writes and
// queries fail cleanly instead of updating a missing index.
func TestReopenWithOtherIndexesWhileOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := "?file=" + url.QueryEscape(filepath.Join(t.TempDir(), "herald.db"))
	first := openURL(t, "bolt://deliveries/id"+q+"&index=event_id")
	defer first.Close()
	second := openURL(t, "bolt://deliveries/id"+q+"&index=status")
	defer second.Close()
	if err := first.Put(ctx, makeDelivery(1)); gcerrors.Code(err) != gcerrors.FailedPrecondition {
		t.Errorf("write through the first handle: %v, want FailedPrecondition", err)
	}
	it := first.Query().Where("event_id", "=", "ev1").Get(ctx)
	defer it.Stop()
	if err := it.Next(ctx, &herald.Delivery{}); gcerrors.Code(err) != gcerrors.FailedPrecondition {
		t.Errorf("query through the first handle: %v, want FailedPrecondition", err)
	}
	if err := second.Put(ctx, makeDelivery(1)); err != nil {
		t.Errorf("write through the second handle: %v", err)
	}
}

func mustClose(t *testing.T, coll *docstore.Collection) {
	t.Helper()
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCollectionsShareOneFile opens two collections on one file (bbolt locks
// a file per opener, so they must share a *bolt.DB) and checks the file
// closes only with the last of them.
func TestCollectionsShareOneFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	q := "?file=" + url.QueryEscape(path)
	webhooks := openURL(t, "bolt://webhooks/id"+q+"&index=tenant_id,partner_id")
	events := openURL(t, "bolt://events/id"+q+"&index=created_ms")

	var db1, db2 *bolt.DB
	if !webhooks.As(&db1) || !events.As(&db2) || db1 != db2 {
		t.Fatal("collections on one file do not share one *bolt.DB")
	}
	if err := webhooks.Put(ctx, &herald.Webhook{ID: "w1", TenantID: "t1"}); err != nil {
		t.Fatal(err)
	}
	mustClose(t, webhooks)
	if err := events.Put(ctx, &herald.Event{ID: "e1", CreatedMS: 5}); err != nil {
		t.Fatalf("other collection after the first closed: %v", err)
	}
	mustClose(t, events)
	if _, err := db1.Begin(false); err == nil {
		t.Fatal("file still open after its last collection closed")
	}

	webhooks = openURL(t, "bolt://webhooks/id"+q)
	defer webhooks.Close()
	w := &herald.Webhook{ID: "w1"}
	if err := webhooks.Get(ctx, w); err != nil || w.TenantID != "t1" {
		t.Fatalf("after reopen: %+v, %v", w, err)
	}
}

func TestURLErrors(t *testing.T) {
	t.Parallel()
	path := url.QueryEscape(filepath.Join(t.TempDir(), "x.db"))
	for _, tc := range []struct{ url, want string }{
		{"bolt:///id?file=" + path, "empty collection name"},
		{"bolt://c?file=" + path, "invalid key field"},
		{"bolt://c/a/b?file=" + path, "invalid key field"},
		{"bolt://c/id", "missing file parameter"},
		{"bolt://c/id?file=" + path + "&filename=x", `unknown query parameter "filename"`},
		{"bolt://c/id?file=" + path + "&index=a,,b", "empty field name"},
		{"bolt://c/id?file=" + path + "&index=", "empty field name"},
		{"bolt://c/id?file=/nonexistent-dir/x.db", "no such file or directory"},
	} {
		_, err := docstore.OpenCollection(context.Background(), tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.url, err, tc.want)
		}
	}
}

// TestOpenRefusesFileCutShort: a file cut short (a full disk, a bad copy) is
// refused with an error naming it; bbolt would fault opening it.
func TestOpenRefusesFileCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	coll, err := OpenCollectionFile(path, "deliveries", "id", &Options{Indexes: [][]string{{"status"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	actions := coll.Actions()
	for i := range 3000 {
		actions.Put(map[string]any{"id": int64(i + 1), "status": "pending", "body": strings.Repeat("x", 200)})
	}
	if err := actions.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, info.Size()/3); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCollectionFile(path, "deliveries", "id", nil); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("open of a file cut short: %v", err)
	}
}
