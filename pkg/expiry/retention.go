package expiry

import (
	"context"
	"fmt"
	"io"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// deleteBatch is how many documents one action list deletes.
const deleteBatch = 100

// deleteDeliveries deletes succeeded and failed deliveries created before
// cutoff. Pending and paused ones stay until they finish or expire.
func (n *Notifier) deleteDeliveries(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for _, status := range []string{herald.StatusSucceeded, herald.StatusFailed} {
		q := n.cfg.Deliveries.Query().
			Where("status", "=", status).
			Where("created_ms", "<", herald.Millis(cutoff))
		c, err := deleteAll(ctx, n.cfg.Deliveries, q, func() docstore.Document { return new(herald.Delivery) })
		total += c
		if err != nil {
			return total, fmt.Errorf("delete old %s deliveries: %w", status, err)
		}
	}
	return total, nil
}

// deleteEvents deletes events ingested before cutoff. On DynamoDB the table's
// TTL attribute does the same work; this query is the deliberate scan of the
// events collection.
func (n *Notifier) deleteEvents(ctx context.Context, cutoff time.Time) (int, error) {
	q := n.cfg.Events.Query().Where("created_ms", "<", herald.Millis(cutoff))
	c, err := deleteAll(ctx, n.cfg.Events, q, func() docstore.Document { return new(herald.Event) })
	if err != nil {
		return c, fmt.Errorf("delete old events: %w", err)
	}
	return c, nil
}

// deleteAll deletes every document q returns, in batches.
func deleteAll(ctx context.Context, coll *docstore.Collection, q *docstore.Query, newDoc func() docstore.Document) (int, error) {
	iter := q.Get(ctx, "id")
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
