package admin_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestTokenEndpointThrottlesAHammeredClient: 16 attackers hammer one
// client id with wrong secrets. Past the client's burst (10) they are
// answered 429 with Retry-After, without a secret check; meanwhile
// another client's token request succeeds.
func TestTokenEndpointThrottlesAHammeredClient(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	victim := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})
	client := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})
	grant := url.Values{"grant_type": {"client_credentials"}}
	answers, stop := make(chan tokenResponse, 1024), make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				answers <- f.attack(victim["client_id"].(string), grant)
			}
		})
	}
	// Every request of the burst is checked (401), or finds the checks
	// busy (429, Retry-After: 1) on a loaded machine; the rest are
	// throttled for the client id (429, Retry-After: 6).
	checked, throttled := 0, 0
	deadline := time.After(time.Minute)
	for checked < 10 || throttled < 16 {
		var r tokenResponse
		select {
		case r = <-answers:
		case <-deadline:
			close(stop)
			t.Fatalf("%d requests checked, %d throttled for the client id; want 10 and 16 or more", checked, throttled)
		}
		switch {
		case r.status == http.StatusUnauthorized, r.status == http.StatusTooManyRequests && r.header.Get("Retry-After") == "1":
			checked++
		case r.status == http.StatusTooManyRequests && r.header.Get("Retry-After") == "6" &&
			r.body["error"] == "temporarily_unavailable":
			throttled++
		default:
			close(stop)
			t.Fatalf("attacker answered %d %v %v", r.status, r.header, r.body)
		}
	}
	tok := f.issue(t, client, "")
	close(stop)
	go func() { wg.Wait(); close(answers) }()
	for r := range answers {
		if r.status == http.StatusUnauthorized || r.header.Get("Retry-After") == "1" {
			checked++
		}
	}
	if checked != 10 {
		t.Errorf("%d requests past the throttle for the hammered client, want its burst of 10", checked)
	}
	if s := f.status(t, tok, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusOK {
		t.Fatalf("the other client's token: %d", s)
	}
}

// attack posts a token request with a wrong secret; a transport failure
// is status 0.
func (f *fixture) attack(id string, form url.Values) tokenResponse {
	req, err := http.NewRequest("POST", f.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return tokenResponse{}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, "hcs_wrong")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		return tokenResponse{}
	}
	defer resp.Body.Close()
	out := tokenResponse{status: resp.StatusCode, header: resp.Header}
	_ = json.NewDecoder(resp.Body).Decode(&out.body)
	return out
}
