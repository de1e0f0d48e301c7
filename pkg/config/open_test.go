package config

import (
	"context"
	"testing"

	_ "gocloud.dev/docstore/memdocstore"
	_ "gocloud.dev/pubsub/mempubsub"
)

// TestOpenOpensOnlyWhatIsNeeded: what a function does not need stays nil,
// and the own-events channel is the ingest topic unless it has a URL of its
// own (closed once either way).
func TestOpenOpensOnlyWhatIsNeeded(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(func(string) string { return "" }, Deployed)
	if err != nil {
		t.Fatal(err)
	}
	c.IngestTopic, c.DeliverTopic = "mem://open-test-ingest", "mem://open-test-deliver"
	ctx := context.Background()
	r, err := c.Open(ctx, Needs{Deliveries: true, Schedule: true, DeliverTopic: true, OwnEventsTopic: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Webhooks != nil || r.Events != nil || r.Applications != nil || r.IngestSub != nil || r.DeliverSub != nil || r.Keeper != nil {
		t.Errorf("opened what was not needed: %+v", r)
	}
	if r.Deliveries == nil || r.Schedule == nil || r.Deliver == nil || r.OwnEvents == nil || r.OwnEvents != r.Ingest {
		t.Errorf("needed resources missing, or own events not on the ingest topic: %+v", r)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}

	// mem:// topics are the process's: a shut-down one cannot be opened again.
	c.IngestTopic, c.OwnEventsTopic = "mem://open-test-ingest-2", "mem://open-test-own-events"
	r, err = c.Open(ctx, Needs{OwnEventsTopic: true, IngestTopic: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.OwnEvents == nil || r.OwnEvents == r.Ingest {
		t.Errorf("own events should have their own topic")
	}
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
}
