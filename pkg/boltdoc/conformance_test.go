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

// TestConformance runs gocloud's driver conformance suite, its codec tests
// through the stored form (see codecTester).
func TestConformance(t *testing.T) {
	drivertest.RunConformanceTests(t, newHarness, codecTester{}, nil)
}

// codecTester runs drivertest's codec tests through the stored form: encoding
// serializes a document to the bytes this package writes to the file, and
// decoding parses them back. There is no separate native codec, so the native
// functions are the same round trip.
type codecTester struct{}

func (codecTester) UnsupportedTypes() []drivertest.UnsupportedType { return nil }

func (codecTester) DocstoreEncode(x any) (any, error) {
	doc, err := driver.NewDocument(x)
	if err != nil {
		return nil, err
	}
	m, err := encodeDoc(doc)
	if err != nil {
		return nil, err
	}
	return marshalDoc(nil, m, false)
}

func (codecTester) DocstoreDecode(value, dest any) error {
	m, err := unmarshalDoc(value.([]byte), "rev")
	if err != nil {
		return err
	}
	doc, err := driver.NewDocument(dest)
	if err != nil {
		return err
	}
	return decodeDoc(m, doc, nil)
}

func (ct codecTester) NativeEncode(x any) (any, error)    { return ct.DocstoreEncode(x) }
func (ct codecTester) NativeDecode(value, dest any) error { return ct.DocstoreDecode(value, dest) }
