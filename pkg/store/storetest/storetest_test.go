package storetest_test

import (
	"path/filepath"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/boltdoc"
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
		open := func(name string) *docstore.Collection {
			c, err := boltdoc.OpenCollectionFile(file, name, "id", &boltdoc.Options{Indexes: store.BoltIndexes(name)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = c.Close() })
			return c
		}
		return store.Collections{Webhooks: open("webhooks"), Events: open("events"), Deliveries: open("deliveries"),
			Schedule: open("schedule"), Applications: open("applications")}
	}},
}

func TestPauseLimitHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			storetest.PauseLimit(t, b.open(t), b.opts)
		})
	}
}

func TestPauseLimitHoldsThroughResumeAndPause(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			storetest.PauseInterleavings(t, b.open(t), b.opts)
		})
	}
}

func TestHealthStreaksHoldUnderConcurrency(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			storetest.HealthStreaks(t, b.open(t), b.opts)
		})
	}
}
