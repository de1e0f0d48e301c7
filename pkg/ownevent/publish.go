package ownevent

import (
	"context"
	"fmt"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// publish sends ev to the ingest topic; what names the event in errors.
func publish(ctx context.Context, ingest *pubsub.Topic, ev herald.OwnEvent, what string) error {
	body, err := ev.Encode()
	if err != nil {
		return fmt.Errorf("encode %s event: %w", what, err)
	}
	if err := ingest.Send(ctx, &pubsub.Message{Body: body}); err != nil {
		return fmt.Errorf("publish %s event: %w", what, err)
	}
	return nil
}
