package storetest

import (
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/boltdoc"
	"github.com/heraldhq/herald/pkg/store"
)

// Bolt opens collection name in the bbolt file at file with local mode's
// indexes for it (store.BoltIndexes), closed when t ends. Collections
// opened on one file share it, as local mode's do.
func Bolt(t testing.TB, file, name string) *docstore.Collection {
	t.Helper()
	indexes, sparse := store.BoltIndexes(name)
	c, err := boltdoc.OpenCollectionFile(file, name, "id", &boltdoc.Options{Indexes: indexes, Sparse: sparse})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
