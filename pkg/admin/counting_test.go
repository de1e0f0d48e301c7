package admin_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"
)

// countingCollection is a docstore driver over a real collection (inner)
// that counts the documents read whole: gets and query results that name no
// fields. Each action and query is passed on to inner with the caller's own
// document, so inner's driver decodes into it as usual.
type countingCollection struct {
	inner *docstore.Collection
	whole atomic.Int64
}

// counting returns c, counting the whole-document reads made through it,
// and the counter.
func counting(c *docstore.Collection) (*docstore.Collection, *atomic.Int64) {
	cc := &countingCollection{inner: c}
	return docstore.NewCollection(cc), &cc.whole
}

func (c *countingCollection) Key(doc driver.Document) (any, error) {
	k, err := doc.GetField("id")
	if err != nil || k == nil || k == "" || k == int64(0) {
		return nil, nil
	}
	return k, nil
}

func (c *countingCollection) RevisionField() string { return docstore.DefaultRevisionField }

func (c *countingCollection) RunActions(ctx context.Context, as []*driver.Action, _ *driver.RunActionsOptions) driver.ActionListError {
	l := c.inner.Actions()
	for _, a := range as {
		doc := a.Doc.Origin
		switch a.Kind {
		case driver.Create:
			l.Create(doc)
		case driver.Replace:
			l.Replace(doc)
		case driver.Put:
			l.Put(doc)
		case driver.Delete:
			l.Delete(doc)
		case driver.Update:
			mods := docstore.Mods{}
			for _, m := range a.Mods {
				mods[docstore.FieldPath(strings.Join(m.FieldPath, "."))] = m.Value
			}
			l.Update(doc, mods)
		case driver.Get:
			if len(a.FieldPaths) == 0 {
				c.whole.Add(1)
			}
			l.Get(doc, fieldPaths(a.FieldPaths)...)
		}
	}
	var out driver.ActionListError
	if errs, ok := l.Do(ctx).(docstore.ActionListError); ok {
		for _, e := range errs {
			out = append(out, struct {
				Index int
				Err   error
			}{e.Index, e.Err})
		}
	}
	return out
}

func (c *countingCollection) RunGetQuery(ctx context.Context, q *driver.Query) (driver.DocumentIterator, error) {
	dq := c.inner.Query()
	for _, f := range q.Filters {
		dq = dq.Where(docstore.FieldPath(strings.Join(f.FieldPath, ".")), f.Op, f.Value)
	}
	if q.OrderByField != "" {
		dir := docstore.Descending
		if q.OrderAscending {
			dir = docstore.Ascending
		}
		dq = dq.OrderBy(q.OrderByField, dir)
	}
	if q.Limit > 0 {
		dq = dq.Limit(q.Limit)
	}
	return &countingIter{it: dq.Get(ctx, fieldPaths(q.FieldPaths)...), whole: len(q.FieldPaths) == 0, c: c}, nil
}

func fieldPaths(fps [][]string) []docstore.FieldPath {
	var out []docstore.FieldPath
	for _, fp := range fps {
		out = append(out, docstore.FieldPath(strings.Join(fp, ".")))
	}
	return out
}

func (c *countingCollection) QueryPlan(*driver.Query) (string, error) { return "passed on", nil }
func (c *countingCollection) RevisionToBytes(any) ([]byte, error)     { return nil, errUnsupported }
func (c *countingCollection) BytesToRevision([]byte) (any, error)     { return nil, errUnsupported }
func (c *countingCollection) As(any) bool                             { return false }
func (c *countingCollection) ErrorAs(error, any) bool                 { return false }
func (c *countingCollection) ErrorCode(err error) gcerrors.ErrorCode  { return gcerrors.Code(err) }
func (c *countingCollection) Close() error                            { return nil }

var errUnsupported = errors.New("revisions as bytes are not supported")

// countingIter passes a query's results on, counting whole documents.
type countingIter struct {
	it    *docstore.DocumentIterator
	whole bool
	c     *countingCollection
}

func (i *countingIter) Next(ctx context.Context, doc driver.Document) error {
	if err := i.it.Next(ctx, doc.Origin); err != nil {
		return err
	}
	if i.whole {
		i.c.whole.Add(1)
	}
	return nil
}

func (i *countingIter) Stop()       { i.it.Stop() }
func (i *countingIter) As(any) bool { return false }
