package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// table records what a store.Table hears.
type table struct {
	changed []string
	writing int
}

func (t *table) Changed(id string) { t.changed = append(t.changed, id) }

func (t *table) Writing(write func() error) error {
	t.writing++
	return write()
}

// TestEveryWebhookWriteIsHeard: each write tells the table, and those a
// table serves (not the health counters) bump the revision.
func TestEveryWebhookWriteIsHeard(t *testing.T) {
	ctx := context.Background()
	tbl := &table{}
	rev := store.NewRevision(heraldtest.Collection(t))
	s := store.WebhookWrites{Coll: heraldtest.Collection(t), Table: tbl, Revision: rev}
	revision := func() int64 {
		n, err := rev.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	w := &herald.Webhook{ID: "wh_1", Enabled: true}
	for _, step := range []struct {
		name  string
		write func() error
		bumps bool
	}{
		{"create", func() error { return s.Create(ctx, w) }, true},
		{"save", func() error {
			fresh, err := s.Get(ctx, "wh_1")
			if err != nil {
				return err
			}
			return s.Save(ctx, fresh, func(w *herald.Webhook) error { w.Name = "renamed"; return nil })
		}, true},
		{"pause", func() error { return s.SetPaused(ctx, "wh_1", true, t0) }, true},
		{"record health", func() error {
			_, err := s.RecordHealth(ctx, "wh_1", func(*herald.Webhook) error { return nil },
				func(w *herald.Webhook) bool { w.ConsecutiveFailures++; return true })
			return err
		}, false},
		{"take a pause queue slot", func() error { _, _, err := s.TakeHeldSlot(ctx, "wh_1"); return err }, false},
		{"free a pause queue slot", func() error { return s.FreeHeldSlot(ctx, "wh_1", 1) }, false},
		{"disable", func() error { return s.Disable(ctx, "wh_1", "failing", t0) }, true},
		{"delete", func() error { return s.Delete(ctx, "wh_1") }, true},
	} {
		before, heard := revision(), len(tbl.changed)
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if len(tbl.changed) == heard || tbl.changed[len(tbl.changed)-1] != "wh_1" {
			t.Errorf("%s: the table did not hear of it", step.name)
		}
		if bumped := revision() > before; bumped != step.bumps {
			t.Errorf("%s: revision bumped %v, want %v", step.name, bumped, step.bumps)
		}
	}
	if _, err := s.Get(ctx, "wh_1"); !errors.Is(err, herald.ErrNotFound) {
		t.Errorf("after delete: %v, want ErrNotFound", err)
	}
}

func TestSaveReappliesAfterAConcurrentCounter(t *testing.T) {
	ctx := context.Background()
	s := store.WebhookWrites{Coll: heraldtest.Collection(t)}
	if err := s.Create(ctx, &herald.Webhook{ID: "wh_1", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	stale, err := s.Get(ctx, "wh_1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordHealth(ctx, "wh_1", func(*herald.Webhook) error { return nil }, // moves the revision on
		func(w *herald.Webhook) bool { w.ConsecutiveFailures, w.FailingSinceMS = 1, 5; return true }); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, stale, func(w *herald.Webhook) error { w.Name = "n"; return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "wh_1")
	if err != nil || got.Name != "n" || got.ConsecutiveFailures != 1 || got.FailingSinceMS != 5 {
		t.Errorf("after save: %+v %v, want the name and the counter both kept", got, err)
	}
}
