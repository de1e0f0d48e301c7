// Package storetest checks, on any docstore driver, that the per-webhook
// limits and counters the store keeps hold under concurrency: the pause
// queue's limit (PauseLimit, PauseInterleavings), with every event ingested
// two or three times at once (PauseDuplicates), through the
// expiry-notifier's backstop (PauseBackstop) and with pauses and resumes in
// a flood of drops (PauseFlood), and the endpoint's health with its
// fire-once events (HealthStreaks). Each check drives many concurrent events and
// attempt results through the real ingest and deliver handlers, in seeded
// rounds, and checks its invariant after each round. The tests of each
// backend call them with collections opened on it.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/secrets/localsecrets"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/store"
)

// Options shapes a check.
type Options struct {
	// Rounds is how many seeded rounds run. Defaults to 50.
	Rounds int
	// Seed seeds the rounds' interleavings. Defaults to 1.
	Seed uint64
	// Handlers is how many handlers (processes, Lambda containers) share
	// the work. Defaults to 3.
	Handlers int
	// OneProcess makes the handlers share one webhook table, as local
	// mode's one process does, instead of each reading the store: needed
	// on mem://, where a write changes a document in place under the feet
	// of a query reading it unless the table's writes wait for its reads.
	OneProcess bool
}

// table returns the webhook table the handlers share, nil for none.
func (o Options) table(c store.Collections, now func() time.Time) *cache.Webhooks {
	if !o.OneProcess {
		return nil
	}
	return cache.NewWebhooks(cache.WebhooksConfig{Collection: c.Webhooks, Interval: time.Hour, Now: now})
}

func (o Options) withDefaults() Options {
	if o.Rounds <= 0 {
		o.Rounds = 50
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Handlers <= 0 {
		o.Handlers = 3
	}
	return o
}

// t0 is when the checks' clocks start.
var t0 = time.Date(2026, 4, 23, 14, 0, 0, 0, time.UTC)

// sealer seals the checks' webhook secrets.
var sealer = seal.New(localsecrets.NewKeeper([32]byte{9}))

// newWebhook returns an enabled webhook subscribed to eventType, with a
// sealed secret, pointing at url.
func newWebhook(t testing.TB, id, eventType, url string) *herald.Webhook {
	t.Helper()
	sealed, err := sealer.Seal(context.Background(), "whsec_"+strings.Repeat("A", 43)+"=")
	if err != nil {
		t.Fatal(err)
	}
	return &herald.Webhook{ID: id, Name: id, URL: url, Enabled: true, SealedSecret: sealed,
		Events: []string{eventType}}
}

// together runs each of fns in its own goroutine, all released at once,
// and returns their errors once all have returned.
func together(fns []func() error) []error {
	start := make(chan struct{})
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// rng returns the random source of round r.
func rng(o Options, r int) *rand.Rand { return rand.New(rand.NewPCG(o.Seed, uint64(r))) }

// event returns the body of event n of round r of type eventType.
func event(eventType string, r, n int) []byte {
	return []byte(fmt.Sprintf(`{"event_id":"evt_%s_%d_%d","event_type":%q}`, eventType, r, n, eventType))
}
