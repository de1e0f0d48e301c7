package auth_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
)

// throttled asserts err is a *ThrottledError asking to wait want.
func throttled(t *testing.T, err error, want time.Duration) {
	t.Helper()
	var te *auth.ThrottledError
	if !errors.Is(err, auth.ErrThrottled) || !errors.As(err, &te) || te.RetryAfter != want {
		t.Fatalf("err = %v, want throttled with retry after %s", err, want)
	}
}

// TestIssueThrottledPerClientID: a client id that asks too often is
// refused without a secret check until its bucket refills, whether it
// exists or not; another client is not affected.
func TestIssueThrottledPerClientID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{IssueBurst: 2, IssueEvery: time.Minute})
	victim, _ := e.addApp(t, &herald.Application{Scopes: []string{herald.ScopeWebhooksRead}})
	other, otherSecret := e.addApp(t, &herald.Application{Scopes: []string{herald.ScopeWebhooksRead}})
	ctx := context.Background()
	for _, id := range []string{victim.ID, "app_unknown"} {
		for range 2 {
			if _, err := e.auth.Issue(ctx, id, "hcs_wrong", ""); !errors.Is(err, auth.ErrInvalidClient) {
				t.Fatalf("%s within its burst: %v", id, err)
			}
		}
		_, err := e.auth.Issue(ctx, id, "hcs_wrong", "")
		throttled(t, err, time.Minute)
	}
	e.issue(t, other.ID, otherSecret, "")
	e.clock.Advance(30 * time.Second)
	_, err := e.auth.Issue(ctx, victim.ID, "hcs_wrong", "")
	throttled(t, err, 30*time.Second)
	e.clock.Advance(30 * time.Second)
	if _, err := e.auth.Issue(ctx, victim.ID, "hcs_wrong", ""); !errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("after the bucket refilled: %v", err)
	}
}

// TestIssueBoundsConcurrentSecretChecks: 16 requests at once, wrong
// secrets for one client and unknown client ids, never run more than
// MaxHashing secret checks at a time, counted by the hook each check
// starts with. The first two are held until both run, so the bound is
// reached, not merely not exceeded.
func TestIssueBoundsConcurrentSecretChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{MaxHashing: 2, HashWait: 10 * time.Minute})
	app, _ := e.addApp(t, &herald.Application{Scopes: []string{herald.ScopeWebhooksRead}})
	var peak, checks atomic.Int64
	both := make(chan struct{})
	var once sync.Once
	auth.SetHashHook(e.auth, func(n int) {
		checks.Add(1)
		for p := peak.Load(); int64(n) > p && !peak.CompareAndSwap(p, int64(n)); p = peak.Load() {
		}
		if n == 2 {
			once.Do(func() { close(both) })
		}
		<-both
	})
	var wg sync.WaitGroup
	for i := range 16 {
		id := app.ID
		if i%2 == 1 {
			id = auth.NewApplicationID() // unknown
		}
		wg.Go(func() {
			if _, err := e.auth.Issue(context.Background(), id, "hcs_wrong", ""); !errors.Is(err, auth.ErrInvalidClient) {
				t.Errorf("Issue(%s): %v", id, err)
			}
		})
	}
	wg.Wait()
	if peak.Load() != 2 || checks.Load() != 16 {
		t.Fatalf("%d checks, at most %d at once; want 16, at most 2", checks.Load(), peak.Load())
	}
}

// TestIssueBusyIsThrottledFast: with every check slot held past HashWait,
// a request is refused with a retry hint instead of queueing.
func TestIssueBusyIsThrottledFast(t *testing.T) {
	t.Parallel()
	e := newEnv(t, auth.Config{MaxHashing: 1, HashWait: 10 * time.Millisecond})
	app, secret := e.addApp(t, &herald.Application{Scopes: []string{herald.ScopeWebhooksRead}})
	held, release := make(chan struct{}), make(chan struct{})
	auth.SetHashHook(e.auth, func(int) {
		select {
		case <-held:
		default:
			close(held)
			<-release
		}
	})
	done := make(chan error)
	go func() {
		_, err := e.auth.Issue(context.Background(), app.ID, secret, "")
		done <- err
	}()
	<-held
	_, err := e.auth.Issue(context.Background(), auth.NewApplicationID(), "hcs_x", "")
	throttled(t, err, time.Second)
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the request holding the slot: %v", err)
	}
}
