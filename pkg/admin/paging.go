package admin

import (
	"net/http"
	"strconv"
)

// Paging limits (DESIGN §6).
const (
	defaultPerPage = 50
	maxPerPage     = 100
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

// parsePage reads page and per_page from the query, adding any problem to v.
func parsePage(r *http.Request, v *validationError) page {
	p := page{Page: 1, PerPage: defaultPerPage}
	q := r.URL.Query()
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			v.add("must be an integer of at least 1", "greater_than_equal", "query", "page")
		} else {
			p.Page = n
		}
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPerPage {
			v.add("must be an integer from 1 to 100", "less_than_equal", "query", "per_page")
		} else {
			p.PerPage = n
		}
	}
	return p
}

// window returns the items of p out of all.
func window[T any](all []T, p page) []T {
	if p.offset() >= len(all) {
		return []T{}
	}
	end := min(p.offset()+p.PerPage, len(all))
	return all[p.offset():end]
}
