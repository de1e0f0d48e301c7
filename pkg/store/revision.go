package store

import (
	"context"
	"fmt"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"
)

// RevisionID is the id of the webhooks' revision document. It lives in the
// schedule collection, which every function that writes webhooks opens, and
// stays out of its due-time index (it has no due_shard).
const RevisionID = "webhooks-revision"

// Revision is a counter of the writes to the webhooks: every writer of a
// webhook whose change a Webhooks table must see (admin, deliver disabling
// an endpoint, the expiry-notifier dropping a secret) bumps it after the
// write, so a table in another process learns with one read whether to read
// the webhooks again. Writes of counters no table reader uses (deliver's
// health fields, ingest's pause_dropped) do not bump it: they would make
// every reader read every webhook again after every failed attempt.
//
// A nil *Revision is valid: Bump does nothing (a process whose every
// reader's table hears of its writes through Webhooks.Changed).
type Revision struct {
	coll *docstore.Collection
}

// revisionDoc is the counter document.
type revisionDoc struct {
	ID       string `docstore:"id"`
	Revision int64  `docstore:"revision"`

	DocstoreRevision any
}

// NewRevision returns the revision kept in coll (the schedule collection).
func NewRevision(coll *docstore.Collection) *Revision { return &Revision{coll: coll} }

// Bump adds one to the revision: an atomic increment (one write), or the
// document's creation the first time.
func (r *Revision) Bump(ctx context.Context) error {
	if r == nil {
		return nil
	}
	for try := 0; ; try++ {
		// An update of a missing document fails with NotFound, or on
		// DynamoDB with FailedPrecondition (its condition that the item
		// exists); the document carries no revision to be stale.
		err := r.coll.Update(ctx, &revisionDoc{ID: RevisionID}, docstore.Mods{fieldRevision: docstore.Increment(1)})
		if c := gcerrors.Code(err); c != gcerrors.NotFound && c != gcerrors.FailedPrecondition {
			if err != nil {
				return fmt.Errorf("bump webhooks revision: %w", err)
			}
			return nil
		}
		err = r.coll.Create(ctx, &revisionDoc{ID: RevisionID, Revision: 1})
		if gcerrors.Code(err) != gcerrors.AlreadyExists || try > 0 {
			if err != nil {
				return fmt.Errorf("create webhooks revision: %w", err)
			}
			return nil
		}
		// Another writer created it first: increment theirs.
	}
}

// Read returns the revision, 0 before the first Bump.
func (r *Revision) Read(ctx context.Context) (int64, error) {
	d := &revisionDoc{ID: RevisionID}
	switch err := r.coll.Get(ctx, d, fieldRevision); {
	case gcerrors.Code(err) == gcerrors.NotFound:
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("read webhooks revision: %w", err)
	}
	return d.Revision, nil
}
