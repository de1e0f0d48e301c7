package boltdoc

import (
	"context"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"gocloud.dev/docstore"
)

// TestSparseIndexAgainstAModel: random puts, updates (setting, changing
// and removing the sparse index's first field) and deletes; at every step
// the sparse index has one entry per document with the field and queries
// on it return what the model says.
func TestSparseIndexAgainstAModel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	f, release, err := openShared(path)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := newCollection(f.DB, "c", "id", &Options{Sparse: [][]string{{"a", "b"}}, Indexes: [][]string{{"b"}}})
	if err != nil {
		t.Fatal(err)
	}
	dc.commits, dc.release = f.Committer, release
	coll := docstore.NewCollection(dc)
	defer coll.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	model := map[int64]map[string]any{}
	val := func() any {
		switch rng.IntN(4) {
		case 0:
			return nil
		case 1:
			return int64(rng.IntN(3))
		case 2:
			return "s"
		}
		return int64(1)
	}
	for step := 0; step < 3000; step++ {
		id := int64(rng.IntN(40)) + 1
		acts := coll.Actions()
		switch rng.IntN(5) {
		case 0, 1:
			doc := map[string]any{"id": id, "b": int64(rng.IntN(5))}
			if rng.IntN(3) > 0 {
				doc["a"] = val()
			}
			acts.Put(doc)
			m := map[string]any{}
			for k, v := range doc {
				m[k] = v
			}
			model[id] = m
		case 2:
			if _, ok := model[id]; !ok {
				continue
			}
			mods := docstore.Mods{}
			switch rng.IntN(3) {
			case 0:
				mods["a"] = nil
				delete(model[id], "a")
			case 1:
				v := int64(rng.IntN(3))
				mods["a"] = v
				model[id]["a"] = v
			case 2:
				v := int64(rng.IntN(5))
				mods["b"] = v
				model[id]["b"] = v
			}
			acts.Update(map[string]any{"id": id}, mods)
		case 3:
			if _, ok := model[id]; !ok {
				continue
			}
			acts.Delete(map[string]any{"id": id})
			delete(model, id)
		case 4:
			continue
		}
		if err := acts.Do(ctx); err != nil {
			t.Fatal(err)
		}
		// entries == docs with non-nil a
		want := 0
		for _, d := range model {
			if v, ok := d["a"]; ok && v != nil {
				want++
			}
		}
		if n := entriesOf(t, dc, "sparse a,b"); n != want {
			t.Fatalf("step %d: entries %d, want %d", step, n, want)
		}
		q := int64(rng.IntN(3))
		it := coll.Query().Where("a", "=", q).Where("b", ">=", int64(1)).Get(ctx)
		got := 0
		for {
			m := map[string]any{}
			err := it.Next(ctx, m)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got++
		}
		it.Stop()
		exp := 0
		for _, d := range model {
			if v, ok := d["a"].(int64); ok && v == q && d["b"].(int64) >= 1 {
				exp++
			}
		}
		if got != exp {
			t.Fatalf("step %d: query got %d want %d", step, got, exp)
		}
	}
}
