package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

// TestRotateSecretSignsWithBothDuringGrace rotates a secret with the default
// grace period and checks, through test sends, that a receiver verifies with
// the old secret and with the new one (each alone, with the official
// library) until the grace period ends, then with the new one only.
func TestRotateSecretSignsWithBothDuringGrace(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t)
	view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL, "tenant_id": "tnt_a"})
	id, oldSecret := view["id"].(string), view["secret"].(string)
	f.publishedOfType(t, herald.EventEndpointCreated)

	var rotated map[string]any
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/rotate-secret"), nil, &rotated); status != http.StatusOK {
		t.Fatalf("rotate: %d %s", status, raw)
	}
	newSecret, _ := rotated["secret"].(string)
	if !strings.HasPrefix(newSecret, "whsec_") || newSecret == oldSecret {
		t.Fatalf("rotate returned secret %q (old %q)", newSecret, oldSecret)
	}
	if got := rotated["previous_secret_expires_at"]; got != t0.Add(herald.DefaultSecretGrace).Format(time.RFC3339) {
		t.Errorf("previous_secret_expires_at = %v, want the end of a 24h grace", got)
	}
	wh := f.stored(t, id)
	if s, err := f.sealer.Open(context.Background(), wh.SealedSecret); err != nil || s != newSecret {
		t.Errorf("stored secret opens to %q, %v", s, err)
	}
	if s, err := f.sealer.Open(context.Background(), wh.PreviousSealedSecret); err != nil || s != oldSecret {
		t.Errorf("stored previous secret opens to %q, %v", s, err)
	}
	ev := f.publishedOfType(t, herald.EventSecretRotated)
	if data, _ := ev["data"].(map[string]any); data["webhook_id"] != id || ev["tenant_id"] != "tnt_a" || ev["category"] != "ADMIN" {
		t.Errorf("audit event = %v", ev)
	}

	send := func() hit {
		t.Helper()
		if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, nil); status != http.StatusOK {
			t.Fatalf("test send: %d %s", status, raw)
		}
		got := r.Got()
		return got[len(got)-1]
	}
	during := send()
	if !verifies(t, oldSecret, during) || !verifies(t, newSecret, during) {
		t.Errorf("during the grace period: old verifies %v, new verifies %v; want both",
			verifies(t, oldSecret, during), verifies(t, newSecret, during))
	}
	if n := len(strings.Fields(during.Header.Get("webhook-signature"))); n != 2 {
		t.Errorf("webhook-signature has %d entries, want 2", n)
	}
	newKey, _ := signature.Key(newSecret)
	if !signature.VerifyHex(newKey, during.Body, during.Header.Get("X-Herald-Signature")) {
		t.Error("the hex signature is not made with the new secret")
	}

	f.clock.Advance(herald.DefaultSecretGrace + time.Second)
	after := send()
	if verifies(t, oldSecret, after) || !verifies(t, newSecret, after) {
		t.Errorf("after the grace period: old verifies %v, new verifies %v; want the new one only",
			verifies(t, oldSecret, after), verifies(t, newSecret, after))
	}
	var read map[string]any
	f.do(t, adminToken, "GET", hookPath(id, ""), nil, &read)
	if read["previous_secret_expires_at"] != nil || read["secret"] != nil {
		t.Errorf("after the grace period the webhook reads %v", read)
	}
}

func TestRotateSecretZeroGraceWithCallerSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{"secret_expires_at": t0.Add(time.Hour)})["id"].(string)
	wh := f.stored(t, id)
	wh.SecretExpiryNotified = 24 * time.Hour // a warning was sent for the old secret
	if err := f.webhooks.Replace(context.Background(), wh); err != nil {
		t.Fatal(err)
	}
	mine := signature.NewSecret()
	expires := t0.Add(90 * 24 * time.Hour)
	var out map[string]any
	status, raw := f.do(t, adminToken, "POST", hookPath(id, "/rotate-secret"),
		map[string]any{"grace_period": "0s", "secret": mine, "secret_expires_at": expires.Format(time.RFC3339)}, &out)
	if status != http.StatusOK || out["secret"] != mine {
		t.Fatalf("rotate: %d %s", status, raw)
	}
	if out["previous_secret_expires_at"] != nil || out["secret_expires_at"] != expires.Format(time.RFC3339) {
		t.Errorf("view after rotation: %s", raw)
	}
	wh = f.stored(t, id)
	if wh.PreviousSealedSecret != "" || wh.PreviousSecretUntilMS != 0 {
		t.Errorf("a zero grace kept the old secret: %q until %d", wh.PreviousSealedSecret, wh.PreviousSecretUntilMS)
	}
	if wh.SecretExpiresMS != herald.Millis(expires) || wh.SecretExpiryNotified != 0 {
		t.Errorf("expiry %v notified %v, want %v and reset", herald.FromMillis(wh.SecretExpiresMS), wh.SecretExpiryNotified, expires)
	}
	if s, _ := f.sealer.Open(context.Background(), wh.SealedSecret); s != mine {
		t.Error("the caller's secret is not the stored one")
	}
}

func TestRotateSecretRejectsBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	before := f.stored(t, id).SealedSecret
	for _, tc := range []struct {
		body any
		loc  string
	}{
		{map[string]any{"grace_period": "-1s"}, "body.grace_period"},
		{map[string]any{"grace_period": "169h"}, "body.grace_period"},
		{map[string]any{"grace_period": "a day"}, "body.grace_period"},
		{map[string]any{"grace_period": 24}, "body.grace_period"},
		{map[string]any{"secret": "not-a-secret"}, "body.secret"},
		{map[string]any{"secret": "whsec_c2hvcnQ="}, "body.secret"},
		{map[string]any{"secret_expires_at": t0.Add(-time.Hour).Format(time.RFC3339)}, "body.secret_expires_at"},
		{map[string]any{"secret_expires_at": "tomorrow"}, "body.secret_expires_at"},
		{map[string]any{"grace": "1h"}, "body.grace"},
		{"not json", "body"},
	} {
		var out struct {
			Detail []struct {
				Loc []any `json:"loc"`
			} `json:"detail"`
		}
		status, raw := f.do(t, adminToken, "POST", hookPath(id, "/rotate-secret"), tc.body, &out)
		if status != http.StatusUnprocessableEntity || len(out.Detail) == 0 || locString(out.Detail[0].Loc) != tc.loc {
			t.Errorf("body %v: %d %s, want 422 at %s", tc.body, status, raw, tc.loc)
		}
	}
	if f.stored(t, id).SealedSecret != before {
		t.Error("a rejected rotation changed the secret")
	}
	if status, _ := f.do(t, adminToken, "POST", hookPath("wh_missing", "/rotate-secret"), nil, nil); status != http.StatusNotFound {
		t.Errorf("unknown webhook: %d, want 404", status)
	}
}

// locString joins a validation error location with dots.
func locString(loc []any) string {
	parts := make([]string, len(loc))
	for i, p := range loc {
		s, _ := p.(string)
		parts[i] = s
	}
	return strings.Join(parts, ".")
}
