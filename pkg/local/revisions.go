package local

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/docstore"
)

// renumberRevisions rewrites every document of coll once. memdocstore
// restarts its revision counter at zero when it loads a snapshot while the
// loaded documents keep their old revisions, so a new write could be given a
// revision a stale reader still holds and its optimistic-concurrency check
// (the deliver claim, say) would pass wrongly. After one rewrite every
// document has a revision from the new counter.
func renumberRevisions(ctx context.Context, coll *docstore.Collection) error {
	iter := coll.Query().Get(ctx)
	defer iter.Stop()
	for {
		doc := map[string]any{}
		err := iter.Next(ctx, doc)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read for renumbering: %w", err)
		}
		// Present but nil: no revision check, and memdocstore assigns a new
		// revision (it does only when the field is there).
		doc[docstore.DefaultRevisionField] = nil
		if err := coll.Replace(ctx, doc); err != nil {
			return fmt.Errorf("renumber revision: %w", err)
		}
	}
}
