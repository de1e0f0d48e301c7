package probe

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// env is the running system TestAdversarial attacks and its fixtures.
type env struct {
	t testing.TB
	*system
	trap *trap
	recv *receiver

	// Unbound applications, each lacking some scopes.
	readOnly, publishOnly, adminOnly, unboundAll *app
	// Bound applications: tnt_a, tnt_b, ptn_x, ptn_y with webhooks:write and
	// events:publish; tnt_a with admin:write only.
	tA, tB, pX, pY, tAAdmin *app

	// Webhooks: the admin's (no tenant), tA's, tB's, pX's, pY's, and one
	// of tnt_a with ptn_x made by the admin.
	hookAdmin, hookA, hookB, hookX, hookY, hookAX string
	// deliveryA and deliveryB are deliveries of hookA and hookB.
	deliveryA, deliveryB int64

	keys atomic.Int64
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, system: startSystem(t), trap: newTrap(t)}
	e.recv = newReceiver(t, "http://127.0.0.1:"+e.trap.port+"/")
	e.readOnly = e.createApp(t, "", "", read)
	e.publishOnly = e.createApp(t, "", "", publish)
	e.adminOnly = e.createApp(t, "", "", admin)
	e.unboundAll = e.createApp(t, "", "", read, write, publish, admin)
	e.tA = e.createApp(t, "tnt_a", "", write, publish)
	e.tB = e.createApp(t, "tnt_b", "", write, publish)
	e.pX = e.createApp(t, "", "ptn_x", write, publish)
	e.pY = e.createApp(t, "", "ptn_y", write, publish)
	e.tAAdmin = e.createApp(t, "tnt_a", "", admin)
	e.hookAdmin = e.mustHook(adminToken, nil)
	e.hookA = e.mustHook(e.tA.Token, nil)
	e.hookB = e.mustHook(e.tB.Token, nil)
	e.hookX = e.mustHook(e.pX.Token, nil)
	e.hookY = e.mustHook(e.pY.Token, nil)
	e.hookAX = e.mustHook(adminToken, map[string]any{"tenant_id": "tnt_a", "partner_id": "ptn_x"})
	e.deliveryA = e.mustDelivery(e.tA, e.hookA)
	e.deliveryB = e.mustDelivery(e.tB, e.hookB)
	return e
}

// key returns a fresh receiver path key.
func (e *env) key() string { return fmt.Sprintf("k%d", e.keys.Add(1)) }

// hook creates a webhook pointing at a fresh /hook/<key> of the receiver
// with token, the fields of extra added; it returns the answer, the
// webhook's id ("" when refused) and its key.
func (e *env) hook(token string, extra map[string]any) (answer, string, string) {
	key := e.key()
	body := map[string]any{"name": "probe", "url": e.recv.URL + "/hook/" + key, "validate": false,
		"retry_schedule": []string{"1s"}}
	for k, v := range extra {
		body[k] = v
	}
	ans := e.do(token, "POST", hooksPath, body)
	var v webhookView
	if ans.status != 201 || ans.decode(&v) != nil {
		return ans, "", key
	}
	return ans, v.ID, key
}

// mustHook is hook for a fixture that must exist.
func (e *env) mustHook(token string, extra map[string]any) string {
	e.t.Helper()
	ans, id, _ := e.hook(token, extra)
	if id == "" {
		e.t.Fatalf("create fixture webhook: %d %s", ans.status, ans.body)
	}
	return id
}

// mustDelivery publishes an event as publisher and returns the id of its
// delivery to the webhook id.
func (e *env) mustDelivery(publisher *app, id string) int64 {
	e.t.Helper()
	if ans := e.do(publisher.Token, "POST", "/api/v1/events", map[string]any{"event_type": "probe.fixture"}); ans.status != 202 {
		e.t.Fatalf("publish fixture event: %d %s", ans.status, ans.body)
	}
	var got int64
	heraldtest.Eventually(e.t, 10*time.Second, func() bool {
		var l struct{ Items []deliveryView }
		if e.do(adminToken, "GET", hooksPath+id+"/deliveries", nil).decode(&l) == nil && len(l.Items) > 0 {
			got = l.Items[0].ID
		}
		return got != 0
	}, "no delivery to fixture webhook %s", id)
	return got
}

// received reports whether the receiver got, at /hook/key, an event whose
// webhook-id is eventID, within 20 seconds (a delivery takes milliseconds;
// a loaded CI machine under the race detector has taken over 3 s).
func (e *env) received(key, eventID string) bool {
	return heraldtest.Poll(20*time.Second, func() bool {
		for _, rc := range e.recv.since(0) {
			if rc.key == key && rc.header.Get("webhook-id") == eventID {
				return true
			}
		}
		return false
	})
}

// path joins a webhook id and a sub-route.
func path(id, sub string) string { return hooksPath + id + strings.TrimSuffix("/"+sub, "/") }
