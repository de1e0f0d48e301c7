package schedule

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// HeldQuery returns the query of the deliveries a webhook holds while paused:
// those in its shard of the sparse held index (held_shard, created_ms) that
// are its own and still paused. It reads no more than the index holds (id,
// webhook_id, status and created_ms); order it by created_ms for oldest
// first.
func HeldQuery(deliveries *docstore.Collection, webhookID string) *docstore.Query {
	return deliveries.Query().
		Where("held_shard", "=", herald.Shard(webhookID)).
		Where("webhook_id", "=", webhookID).
		Where("status", "=", herald.StatusPaused)
}

// HeldFields are the fields of a delivery the held index holds.
var HeldFields = []docstore.FieldPath{"id", "webhook_id", "status", "created_ms"}

// HeldCount counts the deliveries a webhook holds while paused (status
// paused), reading the held index only.
func HeldCount(ctx context.Context, deliveries *docstore.Collection, webhookID string) (int, error) {
	iter := HeldQuery(deliveries, webhookID).Get(ctx, HeldFields...)
	defer iter.Stop()
	n := 0
	for {
		var d herald.Delivery
		err := iter.Next(ctx, &d)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("count held deliveries of %s: %w", webhookID, err)
		}
		n++
	}
}
