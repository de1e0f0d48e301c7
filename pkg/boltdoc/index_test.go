package boltdoc

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"
)

// deliveryIndexes are the indexes Herald's delivery queries need.
var deliveryIndexes = [][]string{
	{"webhook_id", "id"},
	{"webhook_id", "status", "id"},
	{"event_id"},
	{"status", "next_attempt_ms"},
	{"status", "created_ms"},
}

// openDeliveries opens a deliveries collection and returns it with its driver,
// whose docsRead counter shows how many documents a query decoded.
func openDeliveries(t *testing.T, path string) (*docstore.Collection, *collection) {
	t.Helper()
	f, release, err := openShared(path)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := newCollection(f.DB, "deliveries", "id", &Options{Indexes: deliveryIndexes})
	if err != nil {
		t.Fatal(err)
	}
	dc.commits, dc.release = f.Committer, release
	coll := docstore.NewCollection(dc)
	t.Cleanup(func() { _ = coll.Close() })
	return coll, dc
}

var statuses = []herald.Status{herald.StatusPending, herald.StatusSucceeded, herald.StatusFailed, herald.StatusPaused}

func makeDelivery(i int64) *herald.Delivery {
	return &herald.Delivery{
		ID:            i,
		WebhookID:     fmt.Sprintf("wh%d", i%5),
		EventID:       fmt.Sprintf("ev%d", i%40),
		EventType:     "order.created",
		Status:        statuses[i%4],
		NextAttemptMS: 1000 + (i*37)%500,
		CreatedMS:     i * 10,
	}
}

// A query as Herald runs it, the plan it must get, and the model's answer.
type queryCase struct {
	name     string
	query    func(*docstore.Collection) *docstore.Query
	plan     string                          // prefix of the plan
	match    func(*herald.Delivery) bool     // which deliveries it returns
	order    func(a, b *herald.Delivery) int // nil: any order
	residual bool                            // filters the index does not cover
}

var heraldQueries = []queryCase{
	{
		name: "admin list by webhook",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("webhook_id", "=", "wh1").Where("id", ">", int64(0)).OrderBy("id", docstore.Descending)
		},
		plan:  "index webhook_id,id: webhook_id =, id range, descending",
		match: func(d *herald.Delivery) bool { return d.WebhookID == "wh1" },
		order: func(a, b *herald.Delivery) int { return cmp.Compare(b.ID, a.ID) },
	},
	{
		name: "admin list by webhook and status",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("webhook_id", "=", "wh2").Where("status", "=", herald.StatusPaused).
				Where("id", ">", int64(0)).OrderBy("id", docstore.Descending)
		},
		plan:  "index webhook_id,status,id: webhook_id =, status =, id range, descending",
		match: func(d *herald.Delivery) bool { return d.WebhookID == "wh2" && d.Status == herald.StatusPaused },
		order: func(a, b *herald.Delivery) int { return cmp.Compare(b.ID, a.ID) },
	},
	{
		name:  "fan-out by event",
		query: func(c *docstore.Collection) *docstore.Query { return c.Query().Where("event_id", "=", "ev7") },
		plan:  "index event_id: event_id =",
		match: func(d *herald.Delivery) bool { return d.EventID == "ev7" },
	},
	{
		name: "sweep pending due",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("status", "=", herald.StatusPending).Where("next_attempt_ms", "<=", int64(1200))
		},
		plan:  "index status,next_attempt_ms: status =, next_attempt_ms range",
		match: func(d *herald.Delivery) bool { return d.Status == herald.StatusPending && d.NextAttemptMS <= 1200 },
	},
	{
		name: "retention by status and age",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("status", "=", herald.StatusSucceeded).Where("created_ms", "<", int64(1500))
		},
		plan:  "index status,created_ms: status =, created_ms range",
		match: func(d *herald.Delivery) bool { return d.Status == herald.StatusSucceeded && d.CreatedMS < 1500 },
	},
	{
		name: "held by status",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("status", "=", herald.StatusPaused)
		},
		plan:  "index status,next_attempt_ms: status =",
		match: func(d *herald.Delivery) bool { return d.Status == herald.StatusPaused },
	},
	{
		name: "index plus a filter it does not cover",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("event_id", "=", "ev3").Where("created_ms", ">=", int64(500))
		},
		plan:     "index event_id: event_id =",
		match:    func(d *herald.Delivery) bool { return d.EventID == "ev3" && d.CreatedMS >= 500 },
		residual: true,
	},
	{
		name: "all by key, ascending, via the documents bucket",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("id", ">", int64(100)).OrderBy("id", docstore.Ascending)
		},
		plan:  "index primary(id): id range",
		match: func(d *herald.Delivery) bool { return d.ID > 100 },
		order: func(a, b *herald.Delivery) int { return cmp.Compare(a.ID, b.ID) },
	},
	{
		name:     "no usable index",
		query:    func(c *docstore.Collection) *docstore.Query { return c.Query().Where("tenant_id", "=", "") },
		plan:     "scan",
		match:    func(d *herald.Delivery) bool { return d.TenantID == "" },
		residual: true,
	},
	{
		name: "scan, then sort",
		query: func(c *docstore.Collection) *docstore.Query {
			return c.Query().Where("created_ms", ">", int64(2000)).OrderBy("created_ms", docstore.Descending)
		},
		plan:     "scan",
		match:    func(d *herald.Delivery) bool { return d.CreatedMS > 2000 },
		order:    func(a, b *herald.Delivery) int { return cmp.Compare(b.CreatedMS, a.CreatedMS) },
		residual: true,
	},
}

// TestIndexedQueries runs Herald's query shapes and checks the plan, the
// results against a model, their order, and that an indexed query decodes
// only the documents it returns. It checks again after updates, replaces and
// deletes that move documents between index entries.
func TestIndexedQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll, dc := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	model := map[int64]*herald.Delivery{}
	acts := coll.Actions()
	for i := int64(1); i <= 400; i++ {
		d := makeDelivery(i)
		model[i] = d
		acts.Create(d)
	}
	if err := acts.Do(ctx); err != nil {
		t.Fatal(err)
	}
	checkQueries(t, coll, dc, model)

	// Move deliveries between webhooks and statuses, and delete some.
	for i := int64(1); i <= 400; i += 3 {
		d := model[i]
		if err := coll.Update(ctx, d, docstore.Mods{"status": herald.StatusPending, "next_attempt_ms": int64(1100)}); err != nil {
			t.Fatal(err)
		}
		d.Status, d.NextAttemptMS = herald.StatusPending, 1100
	}
	for i := int64(2); i <= 400; i += 7 {
		d := model[i]
		d.WebhookID, d.EventID = "wh1", "ev7"
		if err := coll.Replace(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for i := int64(5); i <= 400; i += 11 {
		if err := coll.Delete(ctx, model[i]); err != nil {
			t.Fatal(err)
		}
		delete(model, i)
	}
	checkQueries(t, coll, dc, model)
}

// TestCreateZeroIntKey checks a Create whose int64 key is zero (missing) is
// refused: the generated keys are strings, which an int64 field cannot hold.
func TestCreateZeroIntKey(t *testing.T) {
	t.Parallel()
	coll, _ := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	err := coll.Create(context.Background(), &herald.Delivery{WebhookID: "wh"})
	if gcerrors.Code(err) != gcerrors.InvalidArgument {
		t.Fatalf("got %v, want InvalidArgument", err)
	}
}

func checkQueries(t *testing.T, coll *docstore.Collection, dc *collection, model map[int64]*herald.Delivery) {
	t.Helper()
	for _, qc := range heraldQueries {
		q := qc.query(coll)
		plan, err := q.Plan()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plan, qc.plan) {
			t.Errorf("%s: plan %q, want %q", qc.name, plan, qc.plan)
		}
		before := dc.docsRead.Load()
		got := collect(t, q)
		read := dc.docsRead.Load() - before

		var want []*herald.Delivery
		for _, d := range model {
			if qc.match(d) {
				want = append(want, d)
			}
		}
		byID := func(a, b *herald.Delivery) int { return cmp.Compare(a.ID, b.ID) }
		if qc.order == nil {
			slices.SortFunc(got, byID)
			slices.SortFunc(want, byID)
		} else {
			slices.SortFunc(want, qc.order)
		}
		if len(want) == 0 {
			t.Fatalf("%s: the model has no matches; the test data is wrong", qc.name)
		}
		if err := sameDeliveries(got, want); err != nil {
			t.Errorf("%s: %v", qc.name, err)
		}
		if !qc.residual && read != int64(len(want)) {
			t.Errorf("%s: decoded %d documents for %d results; want only the results", qc.name, read, len(want))
		}
	}
}

func collect(t *testing.T, q *docstore.Query) []*herald.Delivery {
	t.Helper()
	it := q.Get(context.Background())
	defer it.Stop()
	var out []*herald.Delivery
	for {
		d := &herald.Delivery{}
		err := it.Next(context.Background(), d)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
}

func sameDeliveries(got, want []*herald.Delivery) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %d deliveries, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := *got[i], *want[i]
		if g.DocstoreRevision == nil {
			return fmt.Errorf("delivery %d has no revision", g.ID)
		}
		g.DocstoreRevision, w.DocstoreRevision = nil, nil
		if fmt.Sprint(g) != fmt.Sprint(w) {
			return fmt.Errorf("at %d: got %+v, want %+v", i, g, w)
		}
	}
	return nil
}

// TestPagingAcrossWrites reads more than a page, in both directions, deleting
// each document as it is read (as the scheduler does): the iterator resumes
// after the last key it read even when that key is gone.
func TestPagingAcrossWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coll, _ := openDeliveries(t, filepath.Join(t.TempDir(), "herald.db"))
	const n = pageSize + 50
	for _, dir := range []string{docstore.Descending, docstore.Ascending} {
		acts := coll.Actions()
		for i := int64(1); i <= n; i++ {
			d := makeDelivery(i)
			d.WebhookID = "wh"
			acts.Put(d)
		}
		if err := acts.Do(ctx); err != nil {
			t.Fatal(err)
		}
		it := coll.Query().Where("webhook_id", "=", "wh").Where("id", ">", int64(0)).OrderBy("id", dir).Get(ctx)
		var prev int64
		count := 0
		for {
			d := &herald.Delivery{}
			err := it.Next(ctx, d)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if prev != 0 && (dir == docstore.Descending) != (d.ID < prev) {
				t.Fatalf("%s: %d after %d", dir, d.ID, prev)
			}
			prev = d.ID
			count++
			if err := coll.Delete(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		it.Stop()
		if count != n {
			t.Fatalf("%s: read %d, want %d", dir, count, n)
		}
	}
}
