package memq

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/boltdoc"
)

// A journal may live in the file of bolt:// collections: both open it
// through boltfile, which shares the process's one handle on the file (a
// second bolt.Open of it would wait for the file lock and fail), and
// both keep working.
func TestJournalSharesAFileWithCollections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	coll, err := boltdoc.OpenCollectionFile(path, "docs", "id", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer coll.Close()
	clock := &fakeClock{now: time.Now()}
	b := journaledBroker(t, clock, "q", path, nil)
	if err := b.OpenTopic("q").Send(ctx, &pubsub.Message{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := coll.Put(ctx, map[string]any{"id": "a", "n": int64(1)}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{"id": "a"}
	if err := coll.Get(ctx, got); err != nil || got["n"] != int64(1) {
		t.Fatalf("the collection after the journal's Broker closed: %v, %v", got, err)
	}
	b2 := journaledBroker(t, clock, "q", path, nil)
	if msgs := drain(b2.Topic("q").subscription("q"), clock.Now()); msgs["x"] == nil {
		t.Errorf("the journaled message was not restored from the shared file: %v", msgs)
	}
}
