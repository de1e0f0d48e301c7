package expiry_test

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
)

const day = 24 * time.Hour

// expiringStep sets the clock to before the secret's expiry (negative: after
// it), ticks, and expects the event for threshold (none when 0).
type expiringStep struct {
	before    time.Duration
	threshold time.Duration
	expired   bool
}

// secretHolder is a webhook or an application under test.
type secretHolder struct {
	id, name         string
	eventType, idKey string
	eventIDPrefix    string
	tenant, partner  string
	// collection picks the holder's collection: the rig's webhooks or apps.
	collection func(r *rig, apps *docstore.Collection) *docstore.Collection
	put        func(t *testing.T, r *rig, coll *docstore.Collection, expiresMS int64)
	notified   func(t *testing.T, coll *docstore.Collection) time.Duration
}

var (
	expiringWebhook = secretHolder{id: "wh_rot", name: "billing",
		eventType: herald.EventSecretExpiring, idKey: "webhook_id", eventIDPrefix: "evt_expiring_wh_rot_",
		tenant: "acme", partner: "ptn_acme",
		collection: func(r *rig, _ *docstore.Collection) *docstore.Collection { return r.webhooks },
		put: func(t *testing.T, r *rig, coll *docstore.Collection, expiresMS int64) {
			r.put(t, coll, &herald.Webhook{ID: "wh_rot", Name: "billing", TenantID: "acme", PartnerID: "ptn_acme",
				SealedSecret: "sealed-CURRENT", SecretExpiresMS: expiresMS})
		},
		notified: func(t *testing.T, coll *docstore.Collection) time.Duration {
			w := &herald.Webhook{ID: "wh_rot"}
			if err := coll.Get(context.Background(), w); err != nil {
				t.Fatal(err)
			}
			return w.SecretExpiryNotified
		},
	}
	expiringApplication = secretHolder{id: "app_rot", name: "ci",
		eventType: herald.EventAppSecretExpiring, idKey: "application_id", eventIDPrefix: "evt_app_expiring_app_rot_",
		tenant:     "acme",
		collection: func(_ *rig, apps *docstore.Collection) *docstore.Collection { return apps },
		put: func(t *testing.T, r *rig, coll *docstore.Collection, expiresMS int64) {
			r.put(t, coll, &herald.Application{ID: "app_rot", Name: "ci", TenantID: "acme",
				SecretHash: "$argon2id$CURRENT", SecretExpiresMS: expiresMS})
		},
		notified: func(t *testing.T, coll *docstore.Collection) time.Duration {
			a := &herald.Application{ID: "app_rot"}
			if err := coll.Get(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			return a.SecretExpiryNotified
		},
	}
)

func TestTickWarnsOfExpiringSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		holder secretHolder
		steps  []expiringStep
	}{
		{"each threshold once", expiringWebhook, []expiringStep{
			{before: 40 * day},
			{before: 29 * day, threshold: 30 * day},
			{before: 29 * day}, // the same again: nothing more
			{before: 8 * day},
			{before: 6 * day, threshold: 7 * day},
			{before: 12 * time.Hour, threshold: day},
			{before: -time.Hour}, // expired, 1d already sent
		}},
		{"down across a threshold", expiringWebhook, []expiringStep{
			{before: 29 * day, threshold: 30 * day},
			{before: 12 * time.Hour, threshold: day},
			{before: 6 * time.Hour},
		}},
		{"past expiry before 1d was sent", expiringWebhook, []expiringStep{
			{before: 29 * day, threshold: 30 * day},
			{before: -time.Hour, threshold: day, expired: true},
			{before: -2 * time.Hour},
		}},
		{"exactly at a threshold", expiringWebhook, []expiringStep{
			{before: 30*day + time.Millisecond},
			{before: 30 * day, threshold: 30 * day},
		}},
		{"application, each threshold once", expiringApplication, []expiringStep{
			{before: 40 * day},
			{before: 29 * day, threshold: 30 * day},
			{before: 29 * day},
			{before: 6 * day, threshold: 7 * day},
			{before: 12 * time.Hour, threshold: day},
			{before: -time.Hour},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			apps := openApplications(t)
			n := r.notifier(t, expiry.Config{Applications: apps})
			coll := tc.holder.collection(r, apps)
			expires := t0.Add(40 * day)
			tc.holder.put(t, r, coll, herald.Millis(expires))
			for i, step := range tc.steps {
				checkExpiringStep(t, r, n, tc.holder, coll, expires, i, step)
			}
			r.expectNothingPublished(t)
		})
	}
}

// checkExpiringStep runs one step of an expiring flow.
func checkExpiringStep(t *testing.T, r *rig, n *expiry.Notifier, h secretHolder, coll *docstore.Collection, expires time.Time, i int, step expiringStep) {
	t.Helper()
	now := expires.Add(-step.before)
	r.clock.Set(now)
	prev := h.notified(t, coll)
	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatalf("step %d: %v", i, err)
	}
	if step.threshold == 0 {
		if rep != (expiry.Report{}) || h.notified(t, coll) != prev {
			t.Fatalf("step %d (%s before): Tick = %+v, notified %s; want nothing done", i, step.before, rep, h.notified(t, coll))
		}
		return
	}
	if want := (expiry.Report{ExpiringNotified: 1}); rep != want {
		t.Fatalf("step %d (%s before): Tick = %+v, want %+v", i, step.before, rep, want)
	}
	if got := h.notified(t, coll); got != step.threshold {
		t.Errorf("step %d: notified = %s, want %s", i, got, step.threshold)
	}
	hours := itoa(int64(step.threshold / time.Hour))
	eventID := h.eventIDPrefix + itoa(herald.Millis(expires)) + "_" + hours + "h"
	got := r.receiveSecretEvents(t, 1)
	e, ok := got[eventID]
	if !ok {
		t.Fatalf("step %d: published %+v, want event_id %s", i, got, eventID)
	}
	checkEvent(t, e, h.eventType, h.tenant, h.partner, map[string]any{
		h.idKey: h.id, "name": h.name, "expires_at": expires.Format(time.RFC3339),
		"threshold": itoa(int64(step.threshold/day)) + "d", "expired": step.expired,
	})
	if !e.Timestamp.Equal(now) {
		t.Errorf("step %d: timestamp %s, want now (%s)", i, e.Timestamp, now)
	}
}
