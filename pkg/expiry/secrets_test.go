package expiry_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
)

// Secret material the tests store; no published event may contain any of it.
var secretMaterial = []string{"sealed-CURRENT", "sealed-PREVIOUS", "$argon2id$CURRENT", "$argon2id$PREVIOUS"}

// secretEvent is a published secret lifecycle envelope and its raw body.
type secretEvent struct {
	EventID   string         `json:"event_id"`
	EventType string         `json:"event_type"`
	Timestamp time.Time      `json:"timestamp"`
	Category  string         `json:"category"`
	TenantID  string         `json:"tenant_id"`
	PartnerID string         `json:"partner_id"`
	Data      map[string]any `json:"data"`
	body      string
}

// openApplications returns a new in-memory applications collection.
func openApplications(t *testing.T) *docstore.Collection {
	t.Helper()
	coll, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = coll.Close() })
	return coll
}

// receiveSecretEvents receives n envelopes from the ingest topic, by event id,
// and fails if any contains secret material.
func (r *rig) receiveSecretEvents(t *testing.T, n int) map[string]secretEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := map[string]secretEvent{}
	for i := range n {
		m, err := r.ingestSub.Receive(ctx)
		if err != nil {
			t.Fatalf("receive envelope %d of %d: %v", i+1, n, err)
		}
		m.Ack()
		e := secretEvent{body: string(m.Body)}
		if err := json.Unmarshal(m.Body, &e); err != nil {
			t.Fatalf("envelope %s: %v", m.Body, err)
		}
		for _, s := range secretMaterial {
			if strings.Contains(e.body, s) {
				t.Errorf("envelope %s contains secret material %q", e.body, s)
			}
		}
		out[e.EventID] = e
	}
	return out
}

// checkEvent compares e with the expected type, scope and data.
func checkEvent(t *testing.T, e secretEvent, typ, tenant, partner string, data map[string]any) {
	t.Helper()
	if e.EventType != typ || e.Category != "SECURITY" || e.TenantID != tenant || e.PartnerID != partner {
		t.Errorf("envelope %s: want type %s, category SECURITY, tenant %q, partner %q", e.body, typ, tenant, partner)
	}
	if len(e.Data) != len(data) {
		t.Errorf("envelope %s: data has %d fields, want %d", e.body, len(e.Data), len(data))
	}
	for k, v := range data {
		if e.Data[k] != v {
			t.Errorf("envelope %s: data.%s = %v, want %v", e.body, k, e.Data[k], v)
		}
	}
}

func TestTickEndsSecretGracePeriods(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	apps := openApplications(t)
	n := r.notifier(t, expiry.Config{Applications: apps})
	ended, exact, later := herald.Millis(t0.Add(-time.Minute)), herald.Millis(t0), herald.Millis(t0.Add(time.Hour))
	r.put(t, r.webhooks,
		&herald.Webhook{ID: "wh_ended", Name: "billing", TenantID: "acme", PartnerID: "ptn_acme",
			SealedSecret: "sealed-CURRENT", PreviousSealedSecret: "sealed-PREVIOUS", PreviousSecretUntilMS: ended},
		&herald.Webhook{ID: "wh_exact", Name: "audit", SealedSecret: "sealed-CURRENT",
			PreviousSealedSecret: "sealed-PREVIOUS", PreviousSecretUntilMS: exact},
		&herald.Webhook{ID: "wh_later", SealedSecret: "sealed-CURRENT",
			PreviousSealedSecret: "sealed-PREVIOUS", PreviousSecretUntilMS: later},
		&herald.Webhook{ID: "wh_never_rotated", SealedSecret: "sealed-CURRENT"})
	r.put(t, apps,
		&herald.Application{ID: "app_ended", Name: "ci", TenantID: "acme", SecretHash: "$argon2id$CURRENT",
			PreviousSecretHash: "$argon2id$PREVIOUS", PreviousSecretUntilMS: ended},
		&herald.Application{ID: "app_later", SecretHash: "$argon2id$CURRENT",
			PreviousSecretHash: "$argon2id$PREVIOUS", PreviousSecretUntilMS: later})

	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{GraceEnded: 3}); rep != want {
		t.Fatalf("Tick = %+v, want %+v", rep, want)
	}
	for id, wantCleared := range map[string]bool{"wh_ended": true, "wh_exact": true, "wh_later": false} {
		w := &herald.Webhook{ID: id}
		if err := r.webhooks.Get(context.Background(), w); err != nil {
			t.Fatal(err)
		}
		cleared := w.PreviousSealedSecret == "" && w.PreviousSecretUntilMS == 0
		if cleared != wantCleared || w.SealedSecret != "sealed-CURRENT" {
			t.Errorf("webhook %s: %+v, want previous secret cleared = %v and the current one kept", id, w, wantCleared)
		}
	}
	for id, wantCleared := range map[string]bool{"app_ended": true, "app_later": false} {
		a := &herald.Application{ID: id}
		if err := apps.Get(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		cleared := a.PreviousSecretHash == "" && a.PreviousSecretUntilMS == 0
		if cleared != wantCleared || a.SecretHash != "$argon2id$CURRENT" {
			t.Errorf("application %s: %+v, want previous hash cleared = %v and the current one kept", id, a, wantCleared)
		}
	}

	got := r.receiveSecretEvents(t, 3)
	endedAt := herald.FromMillis(ended).Format(time.RFC3339)
	checkEvent(t, got["evt_grace_wh_ended_"+itoa(ended)], herald.EventSecretGraceEnded, "acme", "ptn_acme",
		map[string]any{"webhook_id": "wh_ended", "webhook_name": "billing", "previous_secret_expired_at": endedAt})
	checkEvent(t, got["evt_grace_wh_exact_"+itoa(exact)], herald.EventSecretGraceEnded, "", "",
		map[string]any{"webhook_id": "wh_exact", "webhook_name": "audit", "previous_secret_expired_at": t0.Format(time.RFC3339)})
	checkEvent(t, got["evt_app_grace_app_ended_"+itoa(ended)], herald.EventAppSecretGraceEnded, "acme", "",
		map[string]any{"application_id": "app_ended", "name": "ci", "previous_secret_expired_at": endedAt})
	for id, e := range got {
		if !e.Timestamp.Equal(t0) {
			t.Errorf("event %s: timestamp %s, want now (%s)", id, e.Timestamp, t0)
		}
	}

	if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
		t.Fatalf("second Tick = %+v, %v; want nothing done", rep, err)
	}
	r.expectNothingPublished(t)
}

func TestTickWithoutApplicationsLeavesThemAlone(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	apps := openApplications(t)
	n := r.notifier(t, expiry.Config{}) // Applications not configured
	until := herald.Millis(t0.Add(-time.Hour))
	r.put(t, apps, &herald.Application{ID: "app_ended", SecretHash: "$argon2id$CURRENT",
		PreviousSecretHash: "$argon2id$PREVIOUS", PreviousSecretUntilMS: until,
		SecretExpiresMS: herald.Millis(t0.Add(time.Hour))})

	if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
		t.Fatalf("Tick = %+v, %v; want nothing done", rep, err)
	}
	a := &herald.Application{ID: "app_ended"}
	if err := apps.Get(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if a.PreviousSecretHash != "$argon2id$PREVIOUS" || a.PreviousSecretUntilMS != until || a.SecretExpiryNotified != 0 {
		t.Errorf("application changed: %+v", a)
	}
	r.expectNothingPublished(t)
}
