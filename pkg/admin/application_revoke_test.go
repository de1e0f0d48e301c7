package admin_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestRotateWithoutGraceRevokesTokensOfTheSameSecond: tokens are minted in
// a tight loop, all within one second of the clock, while a no-grace
// rotation happens; every token minted with the old secret — before the
// rotation answered or while it ran — is refused right after it, and a
// token of the new secret works.
func TestRotateWithoutGraceRevokesTokensOfTheSameSecond(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})
	id, secret := app["id"].(string), app["client_secret"].(string)
	grant := url.Values{"grant_type": {"client_credentials"}}
	minted, stop := make(chan string, 64), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(minted)
		for {
			select {
			case <-stop:
				return
			default:
			}
			r := f.tokenRequest(t, true, id, secret, grant)
			if tok, _ := r.body["access_token"].(string); r.status == http.StatusOK {
				minted <- tok
			}
		}
	}()
	var before []string
	for len(before) < 3 {
		before = append(before, <-minted)
	}
	var rotated map[string]any
	if s, raw := f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", map[string]any{"grace_period": "0s"}, &rotated); s != http.StatusOK {
		t.Fatalf("rotate: %d %s", s, raw)
	}
	close(stop)
	wg.Wait()
	for tok := range minted {
		before = append(before, tok)
	}
	for i, tok := range before {
		if s := f.status(t, tok, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusUnauthorized {
			t.Errorf("token %d of the old secret, same second as the rotation: %d, want 401", i, s)
		}
	}
	fresh := f.issue(t, map[string]any{"client_id": id, "client_secret": rotated["client_secret"]}, "")
	if s := f.status(t, fresh, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusOK {
		t.Fatalf("token minted with the new secret: %d", s)
	}
}
