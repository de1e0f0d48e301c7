package boltdoc

import (
	"cmp"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// openSparse opens a deliveries collection whose due and expiry indexes
// are sparse (or not), as Herald declares them.
func openSparse(t *testing.T, path string, sparse bool) (*docstore.Collection, *collection) {
	t.Helper()
	f, release, err := openShared(path)
	if err != nil {
		t.Fatal(err)
	}
	ixs := [][]string{{"due_shard", "next_attempt_ms"}, {"expires_at"}}
	opts := &Options{Indexes: [][]string{{"webhook_id", "id"}}, Sparse: ixs}
	if !sparse {
		opts = &Options{Indexes: append([][]string{{"webhook_id", "id"}}, ixs...)}
	}
	dc, err := newCollection(f.DB, "deliveries", "id", opts)
	if err != nil {
		t.Fatal(err)
	}
	dc.commits, dc.release = f.Committer, release
	coll := docstore.NewCollection(dc)
	t.Cleanup(func() { _ = coll.Close() })
	return coll, dc
}

// entriesOf counts the entries of the index bucket named name.
func entriesOf(t *testing.T, dc *collection, name string) int {
	t.Helper()
	n := 0
	err := dc.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(dc.name).Bucket([]byte(indexPrefix + name))
		if b == nil {
			t.Fatalf("no index bucket %q", name)
		}
		return b.ForEach(func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSparseIndexHoldsOnlyDocumentsWithItsField: a sparse index has an
// entry for each document that has its first field and none for the others,
// through creates, moves into and out of the field, and deletes; queries
// filtering on the field use it and find what a scan would; a query that
// only orders by the field does not use it (it would miss documents);
// declaring the index not sparse, or sparse again, rebuilds it.
func TestSparseIndexHoldsOnlyDocumentsWithItsField(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	coll, dc := openSparse(t, path, true)
	model := map[int64]*herald.Delivery{}
	acts := coll.Actions()
	for i := int64(1); i <= 300; i++ {
		d := makeDelivery(i)
		d.Status = herald.StatusPending
		if i%3 == 0 {
			d.Status = herald.StatusSucceeded
		}
		d.Derive(herald.FromMillis(1_000_000), 0)
		model[i] = d
		acts.Create(d)
	}
	if err := acts.Do(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		due, expiring := 0, 0
		for _, d := range model {
			if d.DueShard != 0 {
				due++
			}
			if d.ExpiresAt != 0 {
				expiring++
			}
		}
		if n := entriesOf(t, dc, "sparse due_shard,next_attempt_ms"); n != due {
			t.Errorf("%s: due index has %d entries, want %d", when, n, due)
		}
		if n := entriesOf(t, dc, "sparse expires_at"); n != expiring {
			t.Errorf("%s: expiry index has %d entries, want %d", when, n, expiring)
		}
		for shard := 1; shard <= herald.Shards; shard++ {
			q := coll.Query().Where("due_shard", "=", shard).Where("next_attempt_ms", "<=", int64(1300))
			if plan, _ := q.Plan(); !strings.HasPrefix(plan, "index sparse due_shard,next_attempt_ms: due_shard =, next_attempt_ms range") {
				t.Fatalf("%s: plan %q", when, plan)
			}
			var want []*herald.Delivery
			for _, d := range model {
				if d.DueShard == shard && d.NextAttemptMS <= 1300 {
					want = append(want, d)
				}
			}
			sortByID(want)
			got := collect(t, q)
			sortByID(got)
			if err := sameDeliveries(got, want); err != nil {
				t.Errorf("%s: shard %d: %v", when, shard, err)
			}
		}
		q := coll.Query().Where("expires_at", "<", int64(1<<62))
		if plan, _ := q.Plan(); !strings.HasPrefix(plan, "index sparse expires_at: expires_at range") {
			t.Errorf("%s: plan %q", when, plan)
		}
		if got := collect(t, q); len(got) != expiring {
			t.Errorf("%s: %d expiring found, want %d", when, len(got), expiring)
		}
		if plan, _ := coll.Query().OrderBy("expires_at", docstore.Ascending).Plan(); strings.Contains(plan, "sparse") {
			t.Errorf("%s: a query ordering by a sparse index's field without filtering on it uses it: %q", when, plan)
		}
	}
	check("created")

	// Pending ones finish (leave the due index, enter the expiry one), a
	// finished one is made pending again, some are deleted.
	for i := int64(1); i <= 300; i += 4 {
		d := model[i]
		d.Status = herald.StatusSucceeded
		if i%3 == 0 {
			d.Status, d.ExpiresAt = herald.StatusPending, 0
		}
		d.Derive(herald.FromMillis(2_000_000), 0)
		if err := coll.Replace(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for i := int64(2); i <= 300; i += 9 {
		if err := coll.Delete(ctx, model[i]); err != nil {
			t.Fatal(err)
		}
		delete(model, i)
	}
	check("moved")

	// Not sparse, then sparse again: each declaration builds its own.
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	coll, dc = openSparse(t, path, false)
	if n := entriesOf(t, dc, "expires_at"); n != len(model) {
		t.Errorf("the index declared not sparse has %d entries, want one per document (%d)", n, len(model))
	}
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	coll, dc = openSparse(t, path, true)
	check("reopened sparse")
}

func sortByID(ds []*herald.Delivery) {
	slices.SortFunc(ds, func(a, b *herald.Delivery) int { return cmp.Compare(a.ID, b.ID) })
}
