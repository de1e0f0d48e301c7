package admin

import (
	"cmp"
	"io"
	"net/http"
	"slices"

	"gocloud.dev/docstore"
)

// listOwned answers a list of the documents of coll that a tenant and
// partner own: paging, the tenant_id and partner_id query filters held to
// the caller's binding (see bind), creation order (ids are time-ordered),
// one view per item. These collections are few documents next to
// deliveries, so the query reads all that match and pages in memory.
func listOwned[T, V any](a *API, w http.ResponseWriter, r *http.Request, coll *docstore.Collection,
	id func(*T) string, view func(*T) V) {
	v := &validationError{}
	p := parsePage(r, v)
	if !v.empty() {
		writeValidation(w, v)
		return
	}
	tenant, partner := r.URL.Query().Get("tenant_id"), r.URL.Query().Get("partner_id")
	if !bind(w, principal(r), &tenant, &partner) {
		return
	}
	q := coll.Query()
	if tenant != "" {
		q = q.Where("tenant_id", "=", tenant)
	}
	if partner != "" {
		q = q.Where("partner_id", "=", partner)
	}
	iter := q.Get(r.Context())
	defer iter.Stop()
	var all []*T
	for {
		doc := new(T)
		err := iter.Next(r.Context(), doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			a.storeFailed(w, r, err)
			return
		}
		all = append(all, doc)
	}
	slices.SortFunc(all, func(x, y *T) int { return cmp.Compare(id(x), id(y)) })
	out := list[V]{Items: []V{}, Page: p.Page, PerPage: p.PerPage, Total: len(all)}
	for _, doc := range window(all, p) {
		out.Items = append(out.Items, view(doc))
	}
	writeJSON(w, http.StatusOK, out)
}
