package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestEveryPauseIsANewPause: pausing by POST …/pause, by PATCH or on create
// names the pause by its time and clears the announcement of a previous
// pause's overflow, so each pause's overflow is announced once; resuming
// clears both.
func TestEveryPauseIsANewPause(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	ctx := context.Background()
	read := func(id string) *herald.Webhook {
		t.Helper()
		w := &herald.Webhook{ID: id}
		if err := f.webhooks.Get(ctx, w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	announce := func(id string) {
		t.Helper()
		w := read(id)
		w.PauseOverflowNotified = true
		if err := f.webhooks.Replace(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	created := f.createWebhook(t, adminToken, map[string]any{"paused": true})["id"].(string)
	if w := read(created); !w.Paused || w.PausedAtMS != t0.UnixMilli() || w.PauseOverflowNotified {
		t.Errorf("created paused: paused_at_ms %d, notified %v", w.PausedAtMS, w.PauseOverflowNotified)
	}
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	hook := "/api/v1/admin/webhooks/" + id
	steps := []struct {
		name, method, path string
		body               any
		paused             bool
	}{
		{"pause", "POST", hook + "/pause", nil, true},
		{"resume", "POST", hook + "/resume", nil, false},
		{"patch paused", "PATCH", hook, map[string]any{"paused": true}, true},
		{"patch resumed", "PATCH", hook, map[string]any{"paused": false}, false},
	}
	for i, s := range steps {
		f.clock.Advance(time.Minute)
		announce(id)
		if status, raw := f.do(t, adminToken, s.method, s.path, s.body, nil); status != http.StatusOK {
			t.Fatalf("%s: %d %s", s.name, status, raw)
		}
		wantAt := int64(0)
		if s.paused {
			wantAt = t0.Add(time.Duration(i+1) * time.Minute).UnixMilli()
		}
		if w := read(id); w.Paused != s.paused || w.PausedAtMS != wantAt || w.PauseOverflowNotified {
			t.Errorf("%s: paused %v, paused_at_ms %d (want %d), notified %v", s.name, w.Paused, w.PausedAtMS, wantAt, w.PauseOverflowNotified)
		}
	}
}
