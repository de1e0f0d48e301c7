package auth

import (
	"context"
	"time"
)

// retryAfterBusy is what a request that found every check slot busy is told
// to wait: a check takes tens of milliseconds, so a slot frees long before.
const retryAfterBusy = time.Second

// admit applies the limits of a token request before its secret is
// checked: clientID's bucket, then a slot among the Config.MaxHashing
// checks that run at once, waited for at most Config.HashWait. Each check
// hashes twice with 19 MiB for tens of milliseconds, so a flood of requests
// is answered at once with *ThrottledError instead of queueing until memory
// runs out; a request given up while waiting costs nothing. The returned
// func frees the slot.
func (a *Authenticator) admit(ctx context.Context, clientID string) (func(), error) {
	key := clientID
	if len(key) > maxClientIDLen {
		key = "" // no such client; all of them share one bucket
	}
	if wait, ok := a.limiter.take(key, a.cfg.Now()); !ok {
		return nil, &ThrottledError{RetryAfter: wait}
	}
	timer := time.NewTimer(a.cfg.HashWait)
	defer timer.Stop()
	select {
	case a.hashing <- struct{}{}:
	case <-timer.C:
		return nil, &ThrottledError{RetryAfter: retryAfterBusy}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	n := a.inFlight.Add(1)
	if a.onHash != nil {
		a.onHash(int(n))
	}
	return func() {
		a.inFlight.Add(-1)
		<-a.hashing
	}, nil
}
