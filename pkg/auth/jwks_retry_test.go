package auth_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"

	"github.com/heraldhq/herald/pkg/auth"
)

// records is a slog.Handler that hands each record's message and
// attributes, as one line, to a channel.
type records chan string

func (records) Enabled(context.Context, slog.Level) bool { return true }
func (r records) WithAttrs([]slog.Attr) slog.Handler     { return r }
func (r records) WithGroup(string) slog.Handler          { return r }
func (r records) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	b.WriteString(rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	select {
	case r <- b.String():
	default:
	}
	return nil
}

// until returns the log lines up to the first that contains want.
func (r records) until(t *testing.T, want string) []string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var lines []string
	for {
		select {
		case line := <-r:
			lines = append(lines, line)
			if strings.Contains(line, want) {
				return lines
			}
		case <-timeout:
			t.Fatalf("no log line with %q after %q", want, lines)
		}
	}
}

// TestExternalJWKSDownAtStartThenUp: the provider's JWKS fails when Herald
// starts; the failure is logged once with the URL and the cause, and
// once the provider answers again its tokens verify after the (here tiny)
// backoff, not after the refresh interval.
func TestExternalJWKSDownAtStartThenUp(t *testing.T) {
	t.Parallel()
	p := newIdP(t)
	var down atomic.Bool
	down.Store(true)
	serve := p.srv.Config.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		serve.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	logs, retried := make(records, 256), make(chan int, 256)
	backoff := func(failures int) time.Duration {
		select {
		case retried <- failures:
		default:
		}
		return time.Millisecond
	}
	e := newEnv(t, auth.Config{JWKSURL: srv.URL, JWTIssuer: idpIssuer, JWTAudience: idpAudience,
		Logger: slog.New(logs), JWKSBackoff: backoff})
	token := signWith(t, claims(t, map[string]any{"scope": "webhooks:read"}), jwa.ES256(), p.key())

	line := logs.until(t, "JWKS unavailable")[0]
	if !strings.Contains(line, srv.URL) || !strings.Contains(line, "503") {
		t.Fatalf("the failure's log names neither the URL nor the cause: %s", line)
	}
	if _, err := e.auth.Authenticate(context.Background(), token); !errors.Is(err, auth.ErrKeysUnavailable) {
		t.Fatalf("with the provider down: %v, want ErrKeysUnavailable", err)
	}
	for n := 0; n < 3; { // three failures in a row, so far one log line
		select {
		case n = <-retried:
		case <-time.After(10 * time.Second):
			t.Fatal("the JWKS fetch is not retried")
		}
	}
	down.Store(false)
	for _, line := range logs.until(t, "JWKS fetched again") {
		if strings.Contains(line, "unavailable") {
			t.Errorf("the failure streak is logged again: %s", line)
		}
	}
	if _, err := e.auth.Authenticate(context.Background(), token); err != nil {
		t.Fatalf("with the provider back: %v", err)
	}
}
