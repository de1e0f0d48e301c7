package auth

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// Refresh limits of the external JWKS. Once fetched, the set is refreshed
// every jwksRefreshEvery; while the provider fails, fetches are retried
// with Config.JWKSBackoff (at most jwksMaxBackoff apart by default). A
// token whose kid is not in the set forces a refresh, at most once per
// forcedRefreshEvery, so a key rotation at the provider is picked up at
// once without letting callers hammer it.
const (
	jwksRefreshEvery   = 5 * time.Minute
	jwksFirstBackoff   = time.Second
	jwksMaxBackoff     = 30 * time.Second
	forcedRefreshEvery = 30 * time.Second
	maxJWKSBytes       = 1 << 20
)

// keySource is the external provider's JWKS, fetched in the background and
// kept: a failed refresh keeps the last good set.
type keySource struct {
	url     string
	client  *http.Client
	now     func() time.Time
	backoff func(failures int) time.Duration
	log     *slog.Logger
	wait    time.Duration
	// first is closed once the first fetch has been tried; stop ends the
	// background loop, which closes done.
	first, stop, done chan struct{}
	ctx               context.Context
	cancel            context.CancelFunc

	mu          sync.Mutex
	keys        jwk.Set
	lastErr     error
	failures    int
	lastRefresh time.Time
}

func newKeySource(cfg Config) *keySource {
	wait := cfg.HTTPClient.Timeout
	if wait <= 0 {
		wait = defaultHTTPTimeout
	}
	ctx, cancel := context.WithCancel(context.Background())
	k := &keySource{url: cfg.JWKSURL, client: cfg.HTTPClient, now: cfg.Now, backoff: cfg.JWKSBackoff,
		log: cfg.Logger, wait: wait, first: make(chan struct{}), stop: make(chan struct{}),
		done: make(chan struct{}), ctx: ctx, cancel: cancel}
	// Do not wait for the first fetch: the admin API starts even when the
	// provider is down, and tokens are checked once it answers.
	go k.run()
	return k
}

// run fetches the set at once, then again after the refresh interval, or
// after the backoff while the provider fails, until close.
func (k *keySource) run() {
	defer close(k.done)
	for {
		failures := k.fetch(k.ctx)
		k.markFirst()
		delay := jwksRefreshEvery
		if failures > 0 {
			delay = k.backoff(failures)
		}
		timer := time.NewTimer(delay)
		select {
		case <-k.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

func (k *keySource) firstPending() bool {
	select {
	case <-k.first:
		return false
	default:
		return true
	}
}

func (k *keySource) markFirst() {
	if k.firstPending() {
		close(k.first)
	}
}

// fetch gets the set once and records the outcome; it returns the number
// of failures in a row (0 after a success). The log says when a failure
// streak starts, when its cause changes, and when it ends, naming the URL
// and the cause: not one line per request.
func (k *keySource) fetch(ctx context.Context) int {
	set, err := k.get(ctx)
	k.mu.Lock()
	defer k.mu.Unlock()
	if err == nil {
		if k.failures > 0 {
			k.log.Info("identity provider JWKS fetched again", "url", k.url, "failures", k.failures)
		}
		k.keys, k.lastErr, k.failures = set, nil, 0
		return 0
	}
	if k.failures == 0 || k.lastErr.Error() != err.Error() {
		k.log.Error("identity provider JWKS unavailable", "url", k.url, "error", err.Error(),
			"retry_in", k.backoff(k.failures+1).String(), "keeping_previous_keys", k.keys != nil)
	}
	k.lastErr = err
	k.failures++
	return k.failures
}

// get fetches and parses the set.
func (k *keySource) get(ctx context.Context) (jwk.Set, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	set, err := jwk.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("not a JWKS: %w", err)
	}
	return set, nil
}
