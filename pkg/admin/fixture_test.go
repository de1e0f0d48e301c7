package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"
	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/seal"
)

// adminToken is the fixture's bootstrap token.
const adminToken = "fixture-admin-token-0123456789abcdef"

// t0 is the fixture clock's start.
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// fixture is an admin API on mem:// collections behind a real HTTP server,
// with the ingest topic's messages (published events, audit events) kept for
// the test to read.
type fixture struct {
	clock                                      *heraldtest.Clock
	webhooks, events, deliveries, applications *docstore.Collection
	schedule                                   *docstore.Collection
	ingest                                     *pubsub.Subscription
	enq                                        *heraldtest.Enqueuer
	sealer                                     *seal.Sealer
	api                                        *admin.API
	srv                                        *httptest.Server
}

// newFixture builds the API from cfg, filling in everything the fixture
// owns; a nil Auth authenticates adminToken only, a nil Now is the fixture's
// clock.
func newFixture(t *testing.T, cfg admin.Config) *fixture {
	t.Helper()
	f := &fixture{clock: heraldtest.NewClock(t0), enq: &heraldtest.Enqueuer{}}
	f.webhooks, f.events = heraldtest.Collection(t), heraldtest.Collection(t)
	f.deliveries, f.applications = heraldtest.Collection(t), heraldtest.Collection(t)
	f.schedule = heraldtest.Collection(t)
	// A test may hand in its own webhooks, applications or deliveries
	// collection (one that counts what is read, or a bolt:// one).
	if cfg.Webhooks != nil {
		f.webhooks = cfg.Webhooks
	}
	if cfg.Applications != nil {
		f.applications = cfg.Applications
	}
	if cfg.Deliveries != nil {
		f.deliveries = cfg.Deliveries
	}
	topic := mempubsub.NewTopic()
	f.ingest = mempubsub.NewSubscription(topic, time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = f.ingest.Shutdown(ctx)
		_ = topic.Shutdown(ctx)
	})
	f.sealer = seal.New(localsecrets.NewKeeper([32]byte{42}))
	cfg.Webhooks, cfg.Events, cfg.Deliveries, cfg.Applications = f.webhooks, f.events, f.deliveries, f.applications
	cfg.Ingest, cfg.Enqueuer, cfg.Sealer, cfg.ScheduleTable = topic, f.enq, f.sealer, f.schedule
	if cfg.Now == nil {
		cfg.Now = f.clock.Now
	}
	if cfg.Auth == nil {
		a, err := auth.New(auth.Config{AdminToken: adminToken})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Auth = a
	}
	cfg.AllowPrivateTargets = true
	api, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.api = api
	f.srv = httptest.NewServer(api)
	t.Cleanup(f.srv.Close)
	return f
}

// do sends a request with token ("" sends none) and a JSON body (nil for
// none, a string or []byte as is), decodes a JSON answer into out when out
// is not nil, and returns the status and raw body.
func (f *fixture) do(t *testing.T, token, method, path string, body, out any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode, raw
}

// published returns the next message on the ingest topic, decoded, failing
// the test when none arrives within a few seconds.
func (f *fixture) published(t *testing.T) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := f.ingest.Receive(ctx)
	if err != nil {
		t.Fatalf("nothing published: %v", err)
	}
	m.Ack()
	var ev map[string]any
	if err := json.Unmarshal(m.Body, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// createWebhook creates a webhook with body (name and url filled in when
// absent, validation off) and returns its decoded view.
func (f *fixture) createWebhook(t *testing.T, token string, body map[string]any) map[string]any {
	t.Helper()
	if _, ok := body["name"]; !ok {
		body["name"] = "fixture"
	}
	if _, ok := body["url"]; !ok {
		body["url"] = "http://127.0.0.1:9/hook"
	}
	if _, ok := body["validate"]; !ok {
		body["validate"] = false
	}
	var out map[string]any
	if status, raw := f.do(t, token, "POST", "/api/v1/admin/webhooks/", body, &out); status != http.StatusCreated {
		t.Fatalf("create webhook: %d %s", status, raw)
	}
	return out
}

// newAuthFixture is newFixture whose Authenticator also accepts tokens
// issued to the fixture's applications (over f.applications and f.clock).
// The Authenticator is filled in after newFixture has opened the
// collections the API and it share.
func newAuthFixture(t *testing.T, cfg admin.Config) *fixture {
	t.Helper()
	authn := new(auth.Authenticator)
	cfg.Auth = authn
	f := newFixture(t, cfg)
	a, err := auth.New(auth.Config{AdminToken: adminToken, Applications: f.applications, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	*authn = *a
	return f
}
