// Package txn is how a docstore driver offers a write to several
// collections in one transaction, which gocloud's docstore API cannot
// express: the driver's collection answers Collection.As with a Writer.
// Herald's boltdoc does, for collections of one bbolt file; other drivers
// do not, and callers then write one collection at a time.
package txn

import (
	"context"
	"errors"

	"gocloud.dev/docstore"
)

// A Create is one new document in one collection.
type Create struct {
	Coll *docstore.Collection
	Doc  any
}

// The errors of Writer.Create that callers branch on.
var (
	// ErrUnsupported: a collection is not one the Writer can write
	// together with the others.
	ErrUnsupported = errors.New("txn: collections cannot be written in one transaction")
	// ErrExists: a document's key is taken already.
	ErrExists = errors.New("txn: a document with the key exists")
)

// A Writer creates documents in several collections in one transaction.
type Writer interface {
	// Create writes every create in one transaction, all or none, and sets
	// each document's revision as docstore's Create does. A key taken
	// already fails them all with ErrExists; a collection the Writer cannot
	// include fails them with ErrUnsupported.
	Create(ctx context.Context, creates ...Create) error
	// Includes reports whether coll can be written together with the
	// Writer's own collection.
	Includes(coll *docstore.Collection) bool
}

// For returns the Writer of coll's driver, or nil when it has none.
func For(coll *docstore.Collection) Writer {
	var w Writer
	if coll.As(&w) {
		return w
	}
	return nil
}
