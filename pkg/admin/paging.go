package admin

import (
	"fmt"
	"net/http"
	"strconv"
)

// Paging limits. maxPage bounds how deep a list can be paged (and keeps
// the offset far from overflowing); a client past it filters instead.
const (
	defaultPerPage = 50
	maxPerPage     = 100
	maxPage        = 10000
)

// page is a requested page of a list.
type page struct {
	Page    int
	PerPage int
}

// offset is the index of the page's first item.
func (p page) offset() int { return (p.Page - 1) * p.PerPage }

// list is the shape of every list response.
type list[T any] struct {
	Items   []T `json:"items"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
}

// parsePage reads page (1 to maxPage) and per_page (1 to maxPerPage) from
// the query, adding any problem to v.
func parsePage(r *http.Request, v *validationError) page {
	q := r.URL.Query()
	return page{
		Page:    pageParam(q.Get("page"), maxPage, 1, "page", v),
		PerPage: pageParam(q.Get("per_page"), maxPerPage, defaultPerPage, "per_page", v),
	}
}

// pageParam parses s, the query parameter name, as an integer from 1 to
// most: def when absent; def, with the problem added to v, when it is not.
func pageParam(s string, most, def int, name string, v *validationError) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	reason := fmt.Sprintf("must be an integer from 1 to %d", most)
	switch {
	case err != nil:
		v.add(reason, "int_parsing", "query", name)
	case n < 1:
		v.add(reason, "greater_than_equal", "query", name)
	case n > most:
		v.add(reason, "less_than_equal", "query", name)
	default:
		return n
	}
	return def
}

// window returns the items of p out of all.
func window[T any](all []T, p page) []T {
	if p.offset() >= len(all) {
		return []T{}
	}
	end := min(p.offset()+p.PerPage, len(all))
	return all[p.offset():end]
}
