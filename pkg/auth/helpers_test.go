package auth_test

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

const adminToken = "auth-test-admin-token-0123456789abcdef"

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// env is an Authenticator over a mem:// applications collection and a
// hand-moved clock.
type env struct {
	clock *heraldtest.Clock
	apps  *docstore.Collection
	auth  *auth.Authenticator
}

func newEnv(t testing.TB, cfg auth.Config) *env {
	t.Helper()
	apps := heraldtest.Collection(t)
	e := &env{clock: heraldtest.NewClock(t0), apps: apps}
	cfg.AdminToken, cfg.Applications, cfg.Now = adminToken, apps, e.clock.Now
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	e.auth = a
	return e
}

// addApp stores an application with a fresh secret and returns both.
func (e *env) addApp(t testing.TB, app *herald.Application) (*herald.Application, string) {
	t.Helper()
	secret := auth.NewSecret()
	hash, err := auth.HashSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	if app.ID == "" {
		app.ID = auth.NewApplicationID()
	}
	app.SecretHash = hash
	if err := e.apps.Create(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	return app, secret
}

// issue issues a token, failing the test on error.
func (e *env) issue(t testing.TB, clientID, secret, scope string) auth.Token {
	t.Helper()
	tok, err := e.auth.Issue(context.Background(), clientID, secret, scope)
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	return tok
}
