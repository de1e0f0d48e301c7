package herald

import (
	"strconv"
	"testing"
	"time"
)

func TestShardSpreadsKeysOverEveryShard(t *testing.T) {
	t.Parallel()
	seen := map[int]int{}
	for i := range 16000 {
		s := Shard("wh_" + strconv.Itoa(i))
		if s < 1 || s > Shards {
			t.Fatalf("Shard = %d, want 1..%d", s, Shards)
		}
		seen[s]++
	}
	for s := 1; s <= Shards; s++ {
		if seen[s] < 800 || seen[s] > 1200 {
			t.Errorf("shard %d holds %d of 16000 keys, want about 1000", s, seen[s])
		}
	}
	if ShardOf(42) != Shard("42") {
		t.Error("ShardOf(42) != Shard(\"42\")")
	}
}

// TestDeriveFollowsTheStatus: a pending delivery is in the due index, a
// held one in the held index, and only a finished one expires — from when
// it finished, kept while it stays finished and cleared by a retry.
func TestDeriveFollowsTheStatus(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	const retention = 48 * time.Hour
	d := &Delivery{ID: 7, WebhookID: "wh_1", Status: StatusPending}
	d.Derive(now, retention)
	if d.DueShard != ShardOf(7) || d.HeldShard != 0 || d.ExpiresAt != 0 {
		t.Fatalf("pending: %+v", d)
	}
	d.Status = StatusPaused
	d.Derive(now, retention)
	if d.DueShard != 0 || d.HeldShard != Shard("wh_1") || d.ExpiresAt != 0 {
		t.Fatalf("paused: %+v", d)
	}
	for _, status := range []Status{StatusSucceeded, StatusFailed} {
		d.Status, d.ExpiresAt = status, 0
		d.Derive(now, retention)
		if d.DueShard != 0 || d.HeldShard != 0 || d.ExpiresAt != now.Add(retention).Unix() {
			t.Fatalf("%s: %+v, want expires_at %d", status, d, now.Add(retention).Unix())
		}
	}
	d.Derive(now.Add(time.Hour), retention) // written again, still failed
	if d.ExpiresAt != now.Add(retention).Unix() {
		t.Errorf("a rewrite moved expires_at to %d", d.ExpiresAt)
	}
	d.Status = StatusPending // a manual retry
	d.Derive(now, retention)
	if d.ExpiresAt != 0 || d.DueShard == 0 {
		t.Errorf("retried: %+v, want pending without expires_at", d)
	}
	d.Status = StatusSucceeded
	d.Derive(now, 0)
	if d.ExpiresAt != now.Add(DefaultRetention).Unix() {
		t.Errorf("retention 0: expires_at %d, want the default retention's", d.ExpiresAt)
	}
}

func TestSecretDuty(t *testing.T) {
	t.Parallel()
	const day = 24 * time.Hour
	expires := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for _, tc := range []struct {
		name        string
		hasPrevious bool
		untilMS     int64
		expiresMS   int64
		notified    time.Duration
		want        int64
	}{
		{"nothing", false, 0, 0, 0, 0},
		{"grace only", true, 5000, 0, 0, 5000},
		{"expiry, none announced", false, 0, expires, 0, expires - (30 * day).Milliseconds()},
		{"expiry, 30d announced", false, 0, expires, 30 * day, expires - (7 * day).Milliseconds()},
		{"expiry, 1d announced", false, 0, expires, day, 0},
		{"grace first", true, 5000, expires, 0, 5000},
		{"expiry first", true, expires, expires, 7 * day, expires - day.Milliseconds()},
	} {
		if got := SecretDutyMS(tc.hasPrevious, tc.untilMS, tc.expiresMS, tc.notified); got != tc.want {
			t.Errorf("%s: SecretDutyMS = %d, want %d", tc.name, got, tc.want)
		}
	}
	w := &Webhook{ID: "wh_1", PreviousSealedSecret: "sealed", PreviousSecretUntilMS: 5000}
	w.Derive()
	if w.SecretDutyMS != 5000 || w.SecretDutyShard != Shard("wh_1") {
		t.Errorf("webhook in grace: %d, %d", w.SecretDutyMS, w.SecretDutyShard)
	}
	w.PreviousSealedSecret = ""
	w.Derive()
	if w.SecretDutyMS != 0 || w.SecretDutyShard != 0 {
		t.Errorf("webhook without duties: %d, %d", w.SecretDutyMS, w.SecretDutyShard)
	}
	a := &Application{ID: "app_1", SecretExpiresMS: expires, SecretExpiryNotified: 7 * day}
	a.Derive()
	if a.SecretDutyMS != expires-day.Milliseconds() || a.SecretDutyShard != Shard("app_1") {
		t.Errorf("application: %d, %d", a.SecretDutyMS, a.SecretDutyShard)
	}
}
