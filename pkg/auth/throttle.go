package auth

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
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

// clientLimiter is a token bucket per client id: IssueBurst requests at
// once, then one per IssueEvery. It applies to unknown ids as to known
// ones, so being throttled does not tell that a client exists. It tracks at
// most max ids; when full it forgets a tenth of them, the fullest buckets
// first (a full bucket is the same as none).
type clientLimiter struct {
	every time.Duration
	burst float64
	max   int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newClientLimiter(every time.Duration, burst, maxClients int) *clientLimiter {
	return &clientLimiter{every: every, burst: float64(burst), max: maxClients, buckets: map[string]*bucket{}}
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
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) * float64(l.every)), false
	}
	b.tokens--
	return 0, true
}

// refill adds what the time since the bucket's last use earned. A clock
// that went back adds nothing.
func (l *clientLimiter) refill(b *bucket, now time.Time) {
	if now.After(b.at) {
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
		b.at = now
	}
}

// evict forgets the fullest tenth of the buckets (at least one).
func (l *clientLimiter) evict(now time.Time) {
	ids := make([]string, 0, len(l.buckets))
	for id, b := range l.buckets {
		l.refill(b, now)
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(x, y string) int {
		tx, ty := l.buckets[x].tokens, l.buckets[y].tokens
		switch {
		case tx > ty:
			return -1
		case tx < ty:
			return 1
		}
		return 0
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
