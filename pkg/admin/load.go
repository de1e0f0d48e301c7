package admin

import (
	"context"
	"errors"
	"net/http"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/store"
)

// maxIDLen bounds an id taken from a path before it reaches the store.
const maxIDLen = 64

// load reads doc (its key set to id) from coll for a request about one
// resource named what. It answers 404 when there is none, when id could not
// be one, or when the caller does not own the scope owner reports (see
// owns) — so a bound caller cannot tell another scope's ids from unknown
// ones; a store failure answers 5xx. It reports whether the request may go
// on.
func (a *API) load(w http.ResponseWriter, r *http.Request, coll *docstore.Collection, doc docstore.Document,
	id, what string, owner func() (tenantID, partnerID string)) bool {
	found := id != "" && len(id) <= maxIDLen
	if found {
		err := coll.Get(r.Context(), doc)
		if err != nil && !store.NotFound(err) {
			a.storeFailed(w, r, err)
			return false
		}
		tenantID, partnerID := owner()
		found = err == nil && owns(principal(r), tenantID, partnerID)
	}
	if !found {
		writeDetail(w, http.StatusNotFound, what+" not found")
	}
	return found
}

// readWhole reads docs (their keys set) whole from coll in one batch and
// returns those still there: one deleted since its key was read is left out.
func readWhole[T any](ctx context.Context, coll *docstore.Collection, docs []*T) ([]*T, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	gets := coll.Actions()
	for _, doc := range docs {
		gets.Get(doc)
	}
	gone := map[int]bool{}
	if err := gets.Do(ctx); err != nil {
		var errs docstore.ActionListError
		if !errors.As(err, &errs) {
			return nil, err
		}
		for _, e := range errs {
			if !store.NotFound(e.Err) {
				return nil, err
			}
			gone[e.Index] = true
		}
	}
	out := make([]*T, 0, len(docs))
	for i, doc := range docs {
		if !gone[i] {
			out = append(out, doc)
		}
	}
	return out, nil
}
