package expiry

import (
	"context"
	"io"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/store"
)

// deleteBatch is how many documents one action list deletes.
const deleteBatch = 100

// deleteExpired deletes the documents of coll (events or deliveries) whose
// expires_at has passed, as DynamoDB's TTL does where it runs: events
// expire a retention after their ingest, deliveries a retention after they
// finished; a pending or held delivery has no expires_at and stays.
func (n *Notifier) deleteExpired(ctx context.Context, coll *docstore.Collection, now time.Time, newDoc func() docstore.Document) (int, error) {
	return deleteAll(ctx, coll, store.Expired(coll, now), newDoc)
}

// deleteAll deletes every document q returns, in batches.
func deleteAll(ctx context.Context, coll *docstore.Collection, q *docstore.Query, newDoc func() docstore.Document) (int, error) {
	iter := q.Get(ctx, store.IDFields...)
	defer iter.Stop()
	total := 0
	for done := false; !done; {
		actions := coll.Actions()
		batch := 0
		for batch < deleteBatch {
			doc := newDoc()
			err := iter.Next(ctx, doc)
			if err == io.EOF {
				done = true
				break
			}
			if err != nil {
				return total, err
			}
			actions.Delete(doc)
			batch++
		}
		if batch == 0 {
			break
		}
		if err := actions.Do(ctx); err != nil {
			return total, err
		}
		total += batch
	}
	return total, nil
}
