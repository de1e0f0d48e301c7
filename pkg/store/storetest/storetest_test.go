package storetest_test

import (
	"path/filepath"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/store/storetest"
)

// backends opens the collections of each local driver: mem:// and bolt://
// (with local mode's indexes).
var backends = []struct {
	name string
	opts storetest.Options
	open func(t *testing.T) store.Collections
}{
	{"mem", storetest.Options{OneProcess: true}, func(t *testing.T) store.Collections {
		c := heraldtest.Collection
		return store.Collections{Webhooks: c(t), Events: c(t), Deliveries: c(t), Schedule: c(t), Applications: c(t)}
	}},
	{"bolt", storetest.Options{}, func(t *testing.T) store.Collections {
		file := filepath.Join(t.TempDir(), "herald.db")
		open := func(name string) *docstore.Collection { return storetest.Bolt(t, file, name) }
		return store.Collections{Webhooks: open(store.Webhooks), Events: open(store.Events), Deliveries: open(store.Deliveries),
			Schedule: open(store.Schedule), Applications: open(store.Applications)}
	}},
}

// onEachBackend runs check on collections of each backend, in parallel.
func onEachBackend(t *testing.T, check func(*testing.T, store.Collections, storetest.Options)) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			check(t, b.open(t), b.opts)
		})
	}
}

func TestPauseLimitHoldsUnderConcurrency(t *testing.T) { onEachBackend(t, storetest.PauseLimit) }

func TestPauseLimitHoldsThroughResumeAndPause(t *testing.T) {
	onEachBackend(t, storetest.PauseInterleavings)
}

func TestHealthStreaksHoldUnderConcurrency(t *testing.T) { onEachBackend(t, storetest.HealthStreaks) }

func TestPauseQueueExactWithDuplicateEvents(t *testing.T) {
	onEachBackend(t, storetest.PauseDuplicates)
}

func TestPauseBackstopSettlesWhatNobodySettled(t *testing.T) {
	onEachBackend(t, storetest.PauseBackstop)
}

func TestPauseAndResumeSucceedInAFloodOfDrops(t *testing.T) { onEachBackend(t, storetest.PauseFlood) }
