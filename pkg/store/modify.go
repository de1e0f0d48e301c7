package store

import (
	"context"
	"errors"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"
)

// ModifyTries bounds how often Modify re-applies a change to a document
// that changed between its read and its write.
const ModifyTries = 3

// ErrStale is what a change returns to leave a document alone: what it
// meant to change has changed meanwhile. Modify then writes nothing and
// returns it.
var ErrStale = errors.New("store: the document changed meanwhile")

// Modify applies change to doc, read earlier with its revision, and
// replaces it with that revision. When doc changed in between (the store
// answers FailedPrecondition) it reads doc again by its key — fresh returns
// an empty document with doc's key — and re-applies change, up to
// ModifyTries times in all; the last conflict is returned. change may refuse
// with an error, returned as is and nothing written.
func Modify[T any](ctx context.Context, coll *docstore.Collection, doc *T, fresh func() *T, change func(*T) error) error {
	for try := 1; ; try++ {
		if err := change(doc); err != nil {
			return err
		}
		err := coll.Replace(ctx, doc)
		if err == nil || !Conflict(err) || try == ModifyTries {
			return err
		}
		again := fresh()
		if err := coll.Get(ctx, again); err != nil {
			return err
		}
		*doc = *again
	}
}

// Conflict reports whether err is a revision conflict: the document
// changed since it was read (FailedPrecondition).
func Conflict(err error) bool { return gcerrors.Code(err) == gcerrors.FailedPrecondition }

// NotFound reports whether err says the document is not there.
func NotFound(err error) bool { return gcerrors.Code(err) == gcerrors.NotFound }

// AlreadyExists reports whether err says a document with the key is there
// already (a Create of a taken key).
func AlreadyExists(err error) bool { return gcerrors.Code(err) == gcerrors.AlreadyExists }
