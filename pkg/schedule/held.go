package schedule

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// HeldCount counts the deliveries a webhook holds while paused (status
// paused), reading ids only.
func HeldCount(ctx context.Context, deliveries *docstore.Collection, webhookID string) (int, error) {
	iter := deliveries.Query().
		Where("webhook_id", "=", webhookID).
		Where("status", "=", herald.StatusPaused).
		Get(ctx, "id")
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
