package admin

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub/mempubsub"
	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/seal"
)

type nopEnqueuer struct{}

func (nopEnqueuer) Enqueue(context.Context, herald.Job, time.Time) error { return nil }

// A failing endpoint's health is updated by deliver with field updates that
// move the webhook's revision on: an admin write that read the webhook just
// before must still land, re-applied to the fresh document, keeping the
// health fields.
func TestSaveWebhookSurvivesAHealthUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll := func() *docstore.Collection { return heraldtest.Collection(t) }
	authn, err := auth.New(auth.Config{AdminToken: "save-test-admin-token-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Webhooks: coll(), Events: coll(), Deliveries: coll(), Applications: coll(), ScheduleTable: coll(),
		Ingest: mempubsub.NewTopic(), Enqueuer: nopEnqueuer{}, Auth: authn,
		Sealer: seal.New(localsecrets.NewKeeper([32]byte{1}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.cfg.Webhooks.Create(ctx, &herald.Webhook{ID: "wh_1", Name: "before", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	wh, err := a.webhook(ctx, "wh_1")
	if err != nil {
		t.Fatal(err)
	}
	// deliver counts a failure after the admin read the webhook
	if err := a.cfg.Webhooks.Update(ctx, &herald.Webhook{ID: "wh_1"},
		docstore.Mods{"consecutive_failures": docstore.Increment(1)}); err != nil {
		t.Fatal(err)
	}
	tries := 0
	err = a.saveWebhook(ctx, wh, func(wh *herald.Webhook) error {
		tries++
		wh.Name = "after"
		return nil
	})
	if err != nil || tries != 2 {
		t.Fatalf("save: %v after %d tries", err, tries)
	}
	got, _ := a.webhook(ctx, "wh_1")
	if got.Name != "after" || got.ConsecutiveFailures != 1 {
		t.Fatalf("stored %+v: want the admin's name and deliver's count", got)
	}
}
