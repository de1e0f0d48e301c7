package auth_test

import (
	"context"
	"testing"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
)

// BenchmarkIssue is one client-credentials grant: two argon2id hashes (the
// current and, for constant time, the previous or a dummy secret) and an
// HS256 signature.
func BenchmarkIssue(b *testing.B) {
	e := newEnv(b, auth.Config{IssueBurst: 1 << 30}) // one client asking b.N times
	app, secret := e.addApp(b, &herald.Application{Name: "bench", Scopes: []string{herald.ScopeWebhooksRead}})
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.auth.Issue(ctx, app.ID, secret, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticateApplicationToken is what every admin request with an
// issued token pays: HS256 verification and one read of the application.
func BenchmarkAuthenticateApplicationToken(b *testing.B) {
	e := newEnv(b, auth.Config{})
	app, secret := e.addApp(b, &herald.Application{Name: "bench", Scopes: []string{herald.ScopeWebhooksRead}})
	tok := e.issue(b, app.ID, secret, "")
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.auth.Authenticate(ctx, tok.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}
