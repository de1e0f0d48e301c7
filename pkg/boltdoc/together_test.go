package boltdoc

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"testing"

	"gocloud.dev/docstore"
	_ "gocloud.dev/docstore/memdocstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/txn"
)

// TestCreateTogether writes an event and its deliveries, in two collections
// of one file, in one transaction: all of them with their revisions and
// index entries, or, when one key is taken, none of them. Collections of
// another file or another driver are refused.
func TestCreateTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := "?file=" + url.QueryEscape(filepath.Join(t.TempDir(), "herald.db"))
	events := openURL(t, "bolt://events/id"+q)
	deliveries := openURL(t, "bolt://deliveries/id"+q+"&index=webhook_id,id")
	defer mustClose(t, events)
	defer mustClose(t, deliveries)
	w := txn.For(events)
	if w == nil || !w.Includes(deliveries) {
		t.Fatal("a bolt collection has no txn.Writer, or it does not include another collection of its file")
	}

	ev := &herald.Event{ID: "e1", Type: "a.b", FannedOut: true}
	d1 := &herald.Delivery{ID: 1, WebhookID: "w1", EventID: "e1", Status: herald.StatusPending}
	d2 := &herald.Delivery{ID: 2, WebhookID: "w2", EventID: "e1", Status: herald.StatusPending}
	if err := w.Create(ctx, txn.Create{Coll: events, Doc: ev}, txn.Create{Coll: deliveries, Doc: d1},
		txn.Create{Coll: deliveries, Doc: d2}); err != nil {
		t.Fatal(err)
	}
	if ev.DocstoreRevision == nil || d1.DocstoreRevision == nil || d2.DocstoreRevision == nil {
		t.Fatalf("revisions not set: %v %v %v", ev.DocstoreRevision, d1.DocstoreRevision, d2.DocstoreRevision)
	}
	got := &herald.Event{ID: "e1"}
	if err := events.Get(ctx, got); err != nil || !got.FannedOut {
		t.Fatalf("event: %+v, %v", got, err)
	}
	if n := countWhere(t, deliveries, "webhook_id", "w2"); n != 1 {
		t.Fatalf("index by webhook_id finds %d deliveries of w2, want 1", n)
	}

	// Delivery 2 exists: the new event and delivery 3 are not written.
	d3 := &herald.Delivery{ID: 3, WebhookID: "w3", EventID: "e2"}
	err := w.Create(ctx, txn.Create{Coll: events, Doc: &herald.Event{ID: "e2"}}, txn.Create{Coll: deliveries, Doc: d3},
		txn.Create{Coll: deliveries, Doc: &herald.Delivery{ID: 2, WebhookID: "w9"}})
	if !errors.Is(err, txn.ErrExists) {
		t.Fatalf("create over a taken key = %v, want ErrExists", err)
	}
	for _, doc := range []any{&herald.Event{ID: "e2"}, &herald.Delivery{ID: 3}} {
		var coll *docstore.Collection = events
		if _, ok := doc.(*herald.Delivery); ok {
			coll = deliveries
		}
		if err := coll.Get(ctx, doc); gcerrors.Code(err) != gcerrors.NotFound {
			t.Fatalf("%+v written although the transaction failed (%v)", doc, err)
		}
	}
	if n := countWhere(t, deliveries, "webhook_id", "w3"); n != 0 {
		t.Fatalf("index entry of the failed create left: %d", n)
	}

	other := openURL(t, "bolt://events/id?file="+url.QueryEscape(filepath.Join(t.TempDir(), "other.db")))
	defer mustClose(t, other)
	if w.Includes(other) {
		t.Fatal("the writer includes a collection of another file")
	}
	if err := w.Create(ctx, txn.Create{Coll: other, Doc: &herald.Event{ID: "e3"}}); !errors.Is(err, txn.ErrUnsupported) {
		t.Fatalf("another file's collection: %v, want ErrUnsupported", err)
	}
	mem := openURL(t, "mem://events/id")
	defer mustClose(t, mem)
	if txn.For(mem) != nil {
		t.Fatal("memdocstore answered with a txn.Writer")
	}
	if err := w.Create(ctx, txn.Create{Coll: mem, Doc: &herald.Event{ID: "e3"}}); !errors.Is(err, txn.ErrUnsupported) {
		t.Fatalf("a mem:// collection: %v, want ErrUnsupported", err)
	}
}

func countWhere(t *testing.T, coll *docstore.Collection, field, value string) int {
	t.Helper()
	n := 0
	it := coll.Query().Where(docstore.FieldPath(field), "=", value).Get(context.Background())
	defer it.Stop()
	for {
		var d herald.Delivery
		if err := it.Next(context.Background(), &d); err != nil {
			break
		}
		n++
	}
	return n
}
