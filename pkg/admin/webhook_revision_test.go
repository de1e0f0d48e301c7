package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestWebhookWritesBumpTheRevisionAndIndexSecretDuties: every write of a
// webhook — create, patch, pause, resume, rotate, delete — bumps the
// webhooks revision (so ingest in another process reads the webhooks
// again), and the webhook is stored with its secret duty indexed: none
// without an expiry, the first expiry threshold once secret_expires_at is
// set, the end of the grace period after a rotation.
func TestWebhookWritesBumpTheRevisionAndIndexSecretDuties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rev := store.NewRevision(heraldtest.Collection(t))
	f := newFixture(t, admin.Config{Revision: rev})
	bumps := func(want int64) {
		t.Helper()
		if n, err := rev.Read(ctx); err != nil || n != want {
			t.Fatalf("revision = %d, %v; want %d", n, err, want)
		}
	}
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	bumps(1)
	if w := f.stored(t, id); w.SecretDutyShard != 0 || w.SecretDutyMS != 0 {
		t.Errorf("a secret without expiry is in the secret-duty index: %d, %d", w.SecretDutyShard, w.SecretDutyMS)
	}

	expires := t0.Add(90 * 24 * time.Hour)
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), map[string]any{"secret_expires_at": expires}, nil); status != http.StatusOK {
		t.Fatalf("patch: %d %s", status, raw)
	}
	bumps(2)
	w := f.stored(t, id)
	if want := herald.Millis(expires.Add(-30 * 24 * time.Hour)); w.SecretDutyShard != herald.Shard(id) || w.SecretDutyMS != want {
		t.Errorf("secret duty = shard %d at %d, want shard %d at %d", w.SecretDutyShard, w.SecretDutyMS, herald.Shard(id), want)
	}

	for i, path := range []string{"/pause", "/resume"} {
		if status, raw := f.do(t, adminToken, "POST", hookPath(id, path), nil, nil); status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, status, raw)
		}
		bumps(int64(3 + i))
	}
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/rotate-secret"), map[string]any{}, nil); status != http.StatusOK {
		t.Fatalf("rotate: %d %s", status, raw)
	}
	bumps(5)
	if w := f.stored(t, id); w.SecretDutyMS != herald.Millis(t0.Add(herald.DefaultSecretGrace)) {
		t.Errorf("after a rotation the secret duty is at %d, want the end of the grace period %d",
			w.SecretDutyMS, herald.Millis(t0.Add(herald.DefaultSecretGrace)))
	}
	if status := f.status(t, adminToken, "DELETE", hookPath(id, ""), nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	bumps(6)
}
