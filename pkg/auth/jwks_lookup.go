package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// set returns the current key set, waiting (a bounded time) for the first
// fetch. Without a set it returns ErrKeysUnavailable with the last cause.
func (k *keySource) set(ctx context.Context) (jwk.Set, error) {
	ctx, cancel := context.WithTimeout(ctx, k.wait)
	defer cancel()
	select {
	case <-k.first:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for the first fetch of %s: %w", ErrKeysUnavailable, k.url, ctx.Err())
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeysUnavailable, k.url, k.lastErr)
	}
	return k.keys, nil
}

// refresh fetches the set anew unless that was done within
// forcedRefreshEvery. It reports whether it fetched a set.
func (k *keySource) refresh(ctx context.Context) bool {
	k.mu.Lock()
	now := k.now()
	// A clock that went back (now before lastRefresh) does not block.
	if !k.lastRefresh.IsZero() && !now.Before(k.lastRefresh) && now.Sub(k.lastRefresh) < forcedRefreshEvery {
		k.mu.Unlock()
		return false
	}
	k.lastRefresh = now
	k.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, k.wait)
	defer cancel()
	return k.fetch(ctx) == 0
}

// close stops the background fetches and waits for the loop to end.
func (k *keySource) close() error {
	close(k.stop)
	k.cancel()
	<-k.done
	return nil
}

// defaultJWKSBackoff waits 1s after the first failure, doubling up to 30s.
func defaultJWKSBackoff(failures int) time.Duration {
	d := jwksFirstBackoff
	for i := 1; i < failures && d < jwksMaxBackoff; i++ {
		d *= 2
	}
	return min(d, jwksMaxBackoff)
}
