package boltdoc

import (
	"bytes"
	"context"
	"io"
	"slices"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore/driver"
)

// pageSize is how many matching documents one read transaction collects. A
// query reads page by page, each in its own short transaction, so a caller
// may write to the collection between calls to Next (bbolt forbids a writer
// from growing the file while the same goroutine holds a read transaction).
const pageSize = 256

// QueryPlan implements driver.Collection.
func (c *collection) QueryPlan(q *driver.Query) (string, error) {
	fs, err := encodeFilters(q.Filters)
	if err != nil {
		return "", err
	}
	return c.planQuery(fs, q.OrderByField, q.OrderAscending).String(), nil
}

// RunGetQuery implements driver.Collection. It reads the first page before
// returning. When the plan does not yield the OrderBy order, it reads every
// match and sorts them.
func (c *collection) RunGetQuery(ctx context.Context, q *driver.Query) (driver.DocumentIterator, error) {
	fs, err := encodeFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	if q.BeforeQuery != nil {
		if err := q.BeforeQuery(func(any) bool { return false }); err != nil {
			return nil, err
		}
	}
	it := &docIterator{c: c, plan: c.planQuery(fs, q.OrderByField, q.OrderAscending), filters: fs, fieldPaths: q.FieldPaths}
	if len(q.FieldPaths) > 0 && c.keyField != "" {
		it.fieldPaths = append([][]string{{c.keyField}}, q.FieldPaths...)
	}
	if it.plan.ordered {
		it.offset, it.limit = q.Offset, q.Limit
		return it, it.fill(ctx)
	}
	for !it.done {
		if err := it.fill(ctx); err != nil {
			return nil, err
		}
	}
	sortDocs(it.buf, q.OrderByField, q.OrderAscending)
	it.buf = window(it.buf, q.Offset, q.Limit)
	return it, nil
}

func window(docs []map[string]any, offset, limit int) []map[string]any {
	docs = docs[min(max(offset, 0), len(docs)):]
	if limit > 0 && limit < len(docs) {
		docs = docs[:limit]
	}
	return docs
}

// sortDocs sorts by the order-preserving encoding of the field, so a sort
// agrees with an index on the field (missing values first when ascending).
// The sort is stable: ties stay in primary key order.
func sortDocs(docs []map[string]any, field string, asc bool) {
	type keyed struct {
		k   []byte
		doc map[string]any
	}
	ks := make([]keyed, len(docs))
	for i, d := range docs {
		ks[i] = keyed{appendKey(nil, d[field]), d}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if asc {
			return bytes.Compare(a.k, b.k)
		}
		return bytes.Compare(b.k, a.k)
	})
	for i := range ks {
		docs[i] = ks[i].doc
	}
}

type docIterator struct {
	c          *collection
	plan       plan
	filters    []filter
	fieldPaths [][]string
	offset     int // matches still to skip
	limit      int // matches still to return; <= 0 for no limit
	buf        []map[string]any
	resume     []byte // the last key read; nil before the first page
	done       bool   // the range is exhausted, or the limit reached
	err        error
}

// Next implements driver.DocumentIterator.
func (it *docIterator) Next(ctx context.Context, doc driver.Document) error {
	for it.err == nil && len(it.buf) == 0 {
		if it.done {
			it.err = io.EOF
			break
		}
		it.err = it.fill(ctx)
	}
	if it.err != nil {
		return it.err
	}
	d := it.buf[0]
	it.buf[0] = nil
	it.buf = it.buf[1:]
	return decodeDoc(d, doc, it.fieldPaths)
}

// Stop implements driver.DocumentIterator.
func (it *docIterator) Stop() {
	it.buf, it.done = nil, true
}

// As implements driver.DocumentIterator.
func (it *docIterator) As(any) bool { return false }

// fill reads up to a page of matches in one read transaction.
func (it *docIterator) fill(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := it.c
	return c.db.View(func(tx *bolt.Tx) error {
		b, docs, err := c.buckets(tx)
		if err != nil {
			return err
		}
		src := docs
		if it.plan.ix != nil && !it.plan.ix.primary {
			if src = b.Bucket([]byte(indexPrefix + it.plan.ix.name)); src == nil {
				return errIndexDropped(it.plan.ix)
			}
		}
		cur := src.Cursor()
		n := 0
		for k, v := it.first(cur); ; k, v = it.step(cur) {
			if k == nil || !it.inRange(k) {
				it.done = true
				return nil
			}
			it.resume = append(it.resume[:0], k...)
			if src != docs {
				v = docs.Get(v)
			}
			doc, err := it.match(v)
			if err != nil {
				return err
			}
			if doc == nil {
				continue
			}
			if it.offset > 0 {
				it.offset--
				continue
			}
			it.buf = append(it.buf, doc)
			n++
			if it.limit > 0 && n == it.limit {
				it.done = true
				return nil
			}
			if n >= pageSize && it.plan.ordered {
				if it.limit > 0 {
					it.limit -= n
				}
				return nil
			}
		}
	})
}

// match decodes a document and returns it if it passes the filters.
func (it *docIterator) match(raw []byte) (map[string]any, error) {
	if raw == nil { // an index entry without its document: never written so
		return nil, nil
	}
	it.c.docsRead.Add(1)
	doc, err := unmarshalDoc(raw, it.c.revField)
	if err != nil || !filtersMatch(it.filters, doc) {
		return nil, err
	}
	return doc, nil
}

// first positions the cursor on the first key of this page.
func (it *docIterator) first(cur *bolt.Cursor) ([]byte, []byte) {
	p := it.plan
	switch {
	case !p.desc && it.resume == nil:
		if p.lo == nil {
			return cur.First()
		}
		return cur.Seek(p.lo)
	case !p.desc:
		k, v := cur.Seek(it.resume)
		if bytes.Equal(k, it.resume) {
			return cur.Next()
		}
		return k, v
	}
	// Descending: the last key below hi, or below the last key read.
	bound := p.hi
	if it.resume != nil {
		bound = it.resume
	}
	if bound == nil {
		return cur.Last()
	}
	if k, _ := cur.Seek(bound); k == nil {
		return cur.Last()
	}
	return cur.Prev()
}

func (it *docIterator) step(cur *bolt.Cursor) ([]byte, []byte) {
	if it.plan.desc {
		return cur.Prev()
	}
	return cur.Next()
}

func (it *docIterator) inRange(k []byte) bool {
	p := it.plan
	if p.lo != nil && bytes.Compare(k, p.lo) < 0 {
		return false
	}
	return p.hi == nil || bytes.Compare(k, p.hi) < 0
}
