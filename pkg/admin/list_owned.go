package admin

import (
	"net/http"
	"slices"
	"strings"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/store"
)

// scopeOf returns a document's id, tenant_id and partner_id.
type scopeOf[T any] func(*T) (id, tenantID, partnerID string)

// listOwned answers a list of the documents of coll (webhooks,
// applications) that the caller owns (see owns): paging, the tenant_id and
// partner_id query filters held to the caller's binding (see bindFilter),
// creation order (ids are time-ordered), one view per item. It reads only
// the id, tenant_id and partner_id of the documents that match, to count
// them and pick the page, then reads the page's documents whole by key.
func listOwned[T, V any](a *API, w http.ResponseWriter, r *http.Request, coll *docstore.Collection,
	scope scopeOf[T], view func(*T) V) {
	v := &validationError{}
	p := parsePage(r, v)
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	tenant, partner := r.URL.Query().Get("tenant_id"), r.URL.Query().Get("partner_id")
	if !bindFilter(w, principal(r), &tenant, &partner) {
		return
	}
	docs, err := ownedKeys(r, coll, scope, tenant, partner)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	out := list[V]{Items: []V{}, Page: p.Page, PerPage: p.PerPage, Total: len(docs)}
	pageDocs, err := readWhole(r.Context(), coll, window(docs, p))
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	for _, doc := range pageDocs {
		// A document moved out of the caller's scope since it was counted
		// is not shown.
		if _, t, pt := scope(doc); owns(principal(r), t, pt) {
			out.Items = append(out.Items, view(doc))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// ownedKeys returns the documents of coll of the tenant and partner asked
// for ("" for any) that the caller owns, in id order, with only their
// store.ScopeFields read. A bound caller owns exactly one scope, its
// binding (bindFilter has held the filters to it): the scope index holds
// that scope's documents alone, so its list reads no one else's.
func ownedKeys[T any](r *http.Request, coll *docstore.Collection, scope scopeOf[T],
	tenant, partner string) ([]*T, error) {
	q := store.InScope(coll, tenant, partner)
	if p := principal(r); p.Bound() {
		q = store.OfScope(coll, p.TenantID, p.PartnerID)
	}
	keys := q.Get(r.Context(), store.ScopeFields...)
	var docs []*T
	for doc, err := range store.Docs[T](r.Context(), keys) {
		if err != nil {
			return nil, err
		}
		if _, t, pt := scope(doc); owns(principal(r), t, pt) {
			docs = append(docs, doc)
		}
	}
	slices.SortFunc(docs, func(x, y *T) int {
		xid, _, _ := scope(x)
		yid, _, _ := scope(y)
		return strings.Compare(xid, yid)
	})
	return docs, nil
}
