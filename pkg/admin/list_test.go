package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/store/storetest"
)

// TestListsReadOnlyThePageWhole: the webhooks and applications lists count
// and order with ids alone and read only the page's documents whole, for
// an unbound and a bound caller, on the first, a middle, the last partial
// and a page past the end; on mem:// and on bolt:// collections (local
// mode's, with its indexes).
func TestListsReadOnlyThePageWhole(t *testing.T) {
	t.Parallel()
	t.Run("mem", func(t *testing.T) {
		t.Parallel()
		listsReadOnlyThePageWhole(t, heraldtest.Collection(t), heraldtest.Collection(t))
	})
	t.Run("bolt", func(t *testing.T) {
		t.Parallel()
		file := filepath.Join(t.TempDir(), "herald.db")
		listsReadOnlyThePageWhole(t, storetest.Bolt(t, file, store.Webhooks), storetest.Bolt(t, file, store.Applications))
	})
}

func listsReadOnlyThePageWhole(t *testing.T, webhooks, applications *docstore.Collection) {
	hooks, hookReads := counting(webhooks)
	apps, appReads := counting(applications)
	f := newAuthFixture(t, admin.Config{Webhooks: hooks, Applications: apps})
	ctx := context.Background()
	var all, tenantA []string
	for i := range 40 {
		wh := &herald.Webhook{ID: herald.NewWebhookID(), Name: fmt.Sprint("hook ", i), URL: "http://127.0.0.1:9/hook",
			Enabled: true, TenantID: []string{"tnt_a", "tnt_b"}[i%2]}
		if i%4 == 0 {
			wh.PartnerID = "ptn_a" // tnt_a's, but not of the tenant-only scope
		}
		wh.Derive() // as every writer does: the indexed fields
		if err := hooks.Create(ctx, wh); err != nil {
			t.Fatal(err)
		}
		all = append(all, wh.ID)
		if wh.TenantID == "tnt_a" && wh.PartnerID == "" {
			tenantA = append(tenantA, wh.ID)
		}
	}
	slices.Sort(all)
	slices.Sort(tenantA)
	bound := f.boundToken(t, scope{"tnt_a", ""})

	for _, c := range []struct {
		token         string
		page, perPage int
		want          []string
		total         int
	}{
		{adminToken, 1, 7, all[:7], 40},
		{adminToken, 3, 7, all[14:21], 40},
		{adminToken, 6, 7, all[35:], 40},
		{adminToken, 7, 7, []string{}, 40},
		{bound, 1, 4, tenantA[:4], 10},
		{bound, 3, 4, tenantA[8:], 10},
	} {
		hookReads.Store(0)
		var got listPage
		path := fmt.Sprintf("%s?page=%d&per_page=%d", hooksPath, c.page, c.perPage)
		if s, raw := f.do(t, c.token, "GET", path, nil, &got); s != http.StatusOK {
			t.Fatalf("%s: %d %s", path, s, raw)
		}
		if !slices.Equal(got.ids(), c.want) || got.Total != c.total || got.Page != c.page || got.PerPage != c.perPage {
			t.Errorf("%s: page %d per_page %d total %d items %v, want total %d items %v",
				path, got.Page, got.PerPage, got.Total, got.ids(), c.total, c.want)
		}
		if n := hookReads.Load(); n != int64(len(c.want)) {
			t.Errorf("%s: %d webhooks read whole, want %d (the page's)", path, n, len(c.want))
		}
	}

	for i := range 12 {
		app := &herald.Application{ID: auth.NewApplicationID(), Name: fmt.Sprint("app ", i),
			Scopes: []string{herald.ScopeWebhooksRead}, SecretHash: "unused"}
		if err := apps.Create(ctx, app); err != nil {
			t.Fatal(err)
		}
	}
	appReads.Store(0)
	var got listPage
	if s, raw := f.do(t, adminToken, "GET", appsPath+"?page=2&per_page=5", nil, &got); s != http.StatusOK {
		t.Fatalf("applications: %d %s", s, raw)
	}
	if got.Total != 13 || len(got.Items) != 5 || !slices.IsSorted(got.ids()) { // the 12 and the bound token's
		t.Errorf("applications page 2: total %d, items %v", got.Total, got.ids())
	}
	if n := appReads.Load(); n != 5 {
		t.Errorf("%d applications read whole, want 5", n)
	}
}
