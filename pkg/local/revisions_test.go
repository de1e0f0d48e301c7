package local

import (
	"context"
	"path/filepath"
	"testing"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"
	"gocloud.dev/gcerrors"
)

type doc struct {
	ID               string `docstore:"id"`
	N                int    `docstore:"n"`
	DocstoreRevision any
}

// TestRenumberRevisionsAfterSnapshotLoad: a write based on a stale read must
// fail after a restart from a snapshot, as it does before one.
func TestRenumberRevisionsAfterSnapshotLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "docs.gob")
	open := func() *docstore.Collection {
		c, err := memdocstore.OpenCollection("id", &memdocstore.Options{Filename: file})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	write := func(c *docstore.Collection, id string) {
		d := &doc{ID: id}
		if err := c.Get(ctx, d); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			t.Fatal(err)
		}
		d.N++
		if err := c.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	c := open()
	for range 3 {
		write(c, "a")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = open()
	defer c.Close()
	if err := renumberRevisions(ctx, c); err != nil {
		t.Fatal(err)
	}
	stale := &doc{ID: "a"}
	if err := c.Get(ctx, stale); err != nil {
		t.Fatal(err)
	}
	// Enough writes, to "a" and others, to run the new counter past the
	// revision the stale reader holds.
	write(c, "a")
	write(c, "b")
	write(c, "a")
	stale.N = 100
	if err := c.Replace(ctx, stale); gcerrors.Code(err) != gcerrors.FailedPrecondition {
		t.Fatalf("stale Replace after restart = %v, want FailedPrecondition", err)
	}
}
