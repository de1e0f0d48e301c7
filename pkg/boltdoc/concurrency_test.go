package boltdoc

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// TestConcurrentWritesFailAlone runs writers whose commits are grouped: in
// each round every writer races to create one shared key, and adds a Replace
// of a missing key and a Put to one action list. Exactly one Create wins per
// round, the others get AlreadyExists, every Replace NotFound, and every Put
// lands: one action's failure never fails another's, however batched.
func TestConcurrentWritesFailAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll, _ := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	const writers, rounds = 8, 25
	var created atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				own := int64(1_000_000 + w*rounds + r)
				acts := coll.Actions().
					Create(makeDelivery(int64(r + 1))).
					Replace(makeDelivery(own + 10_000_000)).
					Put(makeDelivery(own))
				err := acts.Do(ctx)
				var alerr docstore.ActionListError
				if err != nil && !asActionListError(err, &alerr) {
					t.Errorf("writer %d round %d: %v", w, r, err)
					return
				}
				codes := map[int]gcerrors.ErrorCode{}
				for _, e := range alerr {
					codes[e.Index] = gcerrors.Code(e.Err)
				}
				switch codes[0] {
				case gcerrors.OK:
					created.Add(1)
				case gcerrors.AlreadyExists:
				default:
					t.Errorf("create: %v", codes[0])
				}
				if codes[1] != gcerrors.NotFound || codes[2] != gcerrors.OK {
					t.Errorf("replace %v, put %v; want NotFound, OK", codes[1], codes[2])
				}
			}
		})
	}
	wg.Wait()
	if created.Load() != rounds {
		t.Fatalf("%d creates won; want one per round (%d)", created.Load(), rounds)
	}
	n := 0
	it := coll.Query().Where("id", ">=", int64(1_000_000)).Get(ctx)
	defer it.Stop()
	for it.Next(ctx, &herald.Delivery{}) == nil {
		n++
	}
	if n != writers*rounds {
		t.Fatalf("%d puts stored; want %d", n, writers*rounds)
	}
}

func asActionListError(err error, target *docstore.ActionListError) bool {
	e, ok := err.(docstore.ActionListError)
	*target = e
	return ok
}

// TestRevisionsSerializeIncrements has writers increment one counter by
// read, modify, revision-checked replace, retrying on FailedPrecondition. No
// increment may be lost.
func TestRevisionsSerializeIncrements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll, _ := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	if err := coll.Create(ctx, makeDelivery(1)); err != nil {
		t.Fatal(err)
	}
	const writers, increments = 6, 20
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range increments {
				for {
					d := &herald.Delivery{ID: 1}
					if err := coll.Get(ctx, d); err != nil {
						t.Error(err)
						return
					}
					d.AttemptCount++
					err := coll.Replace(ctx, d)
					if err == nil {
						break
					}
					if gcerrors.Code(err) != gcerrors.FailedPrecondition {
						t.Error(err)
						return
					}
					conflicts.Add(1)
				}
			}
		})
	}
	wg.Wait()
	d := &herald.Delivery{ID: 1}
	if err := coll.Get(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.AttemptCount != writers*increments {
		t.Fatalf("count %d, want %d (%d conflicts retried)", d.AttemptCount, writers*increments, conflicts.Load())
	}
}

// TestAtomicWritesLeaveNoTrace fails an atomic group after a write that
// changed an indexed field, and checks neither the document nor the index
// moved.
func TestAtomicWritesLeaveNoTrace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll, dc := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	if err := coll.Create(ctx, makeDelivery(1)); err != nil { // wh1
		t.Fatal(err)
	}
	moved := makeDelivery(1)
	moved.WebhookID = "wh-moved"
	err := coll.Actions().AtomicWrites().Put(moved).Replace(makeDelivery(99)).Do(ctx)
	if err == nil {
		t.Fatal("atomic group with a failing replace succeeded")
	}
	for _, wh := range []string{"wh1", "wh-moved"} {
		want := map[string]int{"wh1": 1, "wh-moved": 0}[wh]
		before := dc.docsRead.Load()
		got := collect(t, coll.Query().Where("webhook_id", "=", wh))
		if len(got) != want || dc.docsRead.Load()-before != int64(want) {
			t.Errorf("webhook %s: %d deliveries via the index, want %d", wh, len(got), want)
		}
	}
}
