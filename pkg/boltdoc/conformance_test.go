package boltdoc

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/docstore/drivertest"
)

type harness struct {
	db *bolt.DB
	n  int
}

func newHarness(_ context.Context, t *testing.T) (drivertest.Harness, error) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "conformance.db"), 0o600, nil)
	if err != nil {
		return nil, err
	}
	return &harness{db: db}, nil
}

func (h *harness) MakeCollection(_ context.Context, kind drivertest.CollectionKind) (driver.Collection, error) {
	h.n++
	name := fmt.Sprintf("coll%d", h.n)
	switch kind {
	case drivertest.SingleKey, drivertest.NoRev:
		return newCollection(h.db, name, drivertest.KeyField, nil)
	case drivertest.TwoKey:
		// Indexes so GetQuery's queries run on indexes as well as scans.
		return newCollection(h.db, name, "", &Options{
			KeyFunc: drivertest.HighScoreKey,
			Indexes: [][]string{{"Game", "Player"}, {"Player", "Score"}, {"Score"}},
		})
	case drivertest.AltRev:
		return newCollection(h.db, name, drivertest.KeyField, &Options{RevisionField: drivertest.AlternateRevisionField})
	}
	return nil, fmt.Errorf("unknown collection kind %v", kind)
}

func (*harness) BeforeDoTypes() []any               { return nil }
func (*harness) BeforeQueryTypes() []any            { return nil }
func (*harness) RevisionsEqual(rev1, rev2 any) bool { return rev1 == rev2 }
func (*harness) Close()                             {}
func (*harness) AtomicWritesKind() drivertest.AtomicWritesSupportKind {
	return drivertest.MultiplePartitions
}

// TestConformance runs gocloud's driver conformance suite. The codec tests
// are skipped (nil CodecTester) as for memdocstore: there is no native codec
// to compare the docstore codec with; TestCodecRoundTrip covers the stored
// form.
func TestConformance(t *testing.T) {
	drivertest.RunConformanceTests(t, newHarness, nil, nil)
}
