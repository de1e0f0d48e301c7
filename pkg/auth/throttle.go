package auth

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ErrThrottled is returned by Issue for a request refused to protect the
// secret checks: its client id asked too often, or every check slot stayed
// busy for Config.HashWait. The error is a *ThrottledError.
var ErrThrottled = errors.New("auth: too many token requests")

// ThrottledError says when a throttled token request may be tried again.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("%v: retry after %s", ErrThrottled, e.RetryAfter)
}

// Is makes errors.Is(err, ErrThrottled) hold.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// clientLimiter is a token bucket per client id (golang.org/x/time/rate,
// driven by the Authenticator's clock): IssueBurst requests at once, then
// one per IssueEvery. It applies to unknown ids as to known ones, so being
// throttled does not tell that a client exists. It tracks at most max ids;
// when full it forgets a tenth of them, the fullest buckets first (a full
// bucket is the same as none).
type clientLimiter struct {
	every time.Duration
	burst int
	max   int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newClientLimiter(every time.Duration, burst, maxClients int) *clientLimiter {
	return &clientLimiter{every: every, burst: burst, max: maxClients, buckets: map[string]*rate.Limiter{}}
}

// take spends one request of id's bucket at now; when there is none it
// returns how long until there is one, and false.
func (l *clientLimiter) take(id string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.buckets[id] = b
	}
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait, false
	}
	return 0, true
}

// evict forgets the fullest tenth of the buckets (at least one).
func (l *clientLimiter) evict(now time.Time) {
	ids := slices.Collect(maps.Keys(l.buckets))
	slices.SortFunc(ids, func(x, y string) int {
		return cmp.Compare(l.buckets[y].TokensAt(now), l.buckets[x].TokensAt(now))
	})
	for _, id := range ids[:max(1, len(ids)/10)] {
		delete(l.buckets, id)
	}
}

// size is the number of client ids tracked.
func (l *clientLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
