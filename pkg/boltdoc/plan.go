package boltdoc

import (
	"bytes"
	"slices"
	"strings"

	"gocloud.dev/docstore/driver"
)

// A plan says how a query reads the collection: a key range of one index (or
// of the documents bucket), in which direction, and whether that already
// yields the query's order. Every filter is still applied to every document
// read, so the range only has to contain the matches, never to be exact.
type plan struct {
	ix      *index // nil or primary: read the documents bucket
	lo, hi  []byte // the range [lo, hi); nil for no bound
	desc    bool
	ordered bool // reading the range yields the query's order
	eq      int  // leading index fields fixed by "=" filters
	ranged  bool // the next field is bounded by range filters
}

// A filter with its value encoded like stored values.
type filter struct {
	path  []string
	op    string
	value any
}

func encodeFilters(fs []driver.Filter) ([]filter, error) {
	out := make([]filter, len(fs))
	for i, f := range fs {
		v, err := encodeValue(f.Value)
		if err != nil {
			return nil, err
		}
		out[i] = filter{path: f.FieldPath, op: f.Op, value: v}
	}
	return out, nil
}

// planQuery picks the index whose leading fields are fixed by the most "="
// filters, then one whose next field is bounded by range filters, then one
// that yields the OrderBy order. With none usable, it scans the collection.
func (c *collection) planQuery(fs []filter, orderBy string, asc bool) plan {
	best, found := plan{}, false
	for _, ix := range append(slices.Clone(c.indexes), c.primary) {
		if ix == nil {
			continue
		}
		p, ok := matchIndex(ix, fs, orderBy, asc)
		if ok && (!found || p.better(best)) {
			best, found = p, true
		}
	}
	if !found {
		return plan{ordered: orderBy == ""}
	}
	return best
}

func (p plan) better(q plan) bool {
	if p.eq != q.eq {
		return p.eq > q.eq
	}
	if p.ranged != q.ranged {
		return p.ranged
	}
	return p.ordered && !q.ordered
}

func matchIndex(ix *index, fs []filter, orderBy string, asc bool) (plan, bool) {
	p := plan{ix: ix, ordered: orderBy == ""}
	var prefix []byte
	for p.eq < len(ix.fields) {
		fp := ix.fields[p.eq]
		v, ok := eqValue(fs, fp)
		if !ok {
			break
		}
		prefix = appendKey(prefix, v)
		if isField(fp, orderBy) {
			p.ordered = true // every result has the same value
		}
		p.eq++
	}
	p.lo, p.hi = prefix, successor(prefix)
	if p.eq < len(ix.fields) {
		next := ix.fields[p.eq]
		p.lo, p.hi, p.ranged = rangeOn(prefix, next, fs)
		if isField(next, orderBy) {
			p.ordered, p.desc = true, !asc
		}
	}
	usable := p.eq > 0 || p.ranged || (orderBy != "" && p.ordered && !ix.sparse)
	return p, usable
}

func isField(fp []string, name string) bool { return len(fp) == 1 && fp[0] == name }

// eqValue returns the value of an "=" filter on fp that an index can seek to.
func eqValue(fs []filter, fp []string) (any, bool) {
	for _, f := range fs {
		if f.op == driver.EqualOp && driver.FieldPathsEqual(f.path, fp) && indexable(f.value) {
			return f.value, true
		}
	}
	return nil, false
}

func indexable(v any) bool {
	t := keyType(v)
	return t != keyMissing && t != keyOther
}

// rangeOn narrows the range under prefix to the range filters on fp: those
// of the first filter's type (values of other types never match it).
func rangeOn(prefix []byte, fp []string, fs []filter) (lo, hi []byte, ranged bool) {
	lo, hi = prefix, successor(prefix)
	var typ byte
	for _, f := range fs {
		if !driver.FieldPathsEqual(f.path, fp) || !indexable(f.value) || !isRangeOp(f.op) {
			continue
		}
		if !ranged {
			typ, ranged = keyType(f.value), true
			lo = append(slices.Clone(prefix), typ)
			hi = successor(lo)
		}
		if keyType(f.value) != typ {
			continue
		}
		k := appendKey(slices.Clone(prefix), f.value)
		switch f.op {
		case ">":
			lo = maxKey(lo, successor(k))
		case ">=":
			lo = maxKey(lo, k)
		case "<":
			hi = minKey(hi, k)
		case "<=":
			hi = minKey(hi, successor(k))
		}
	}
	return lo, hi, ranged
}

func isRangeOp(op string) bool { return op == ">" || op == ">=" || op == "<" || op == "<=" }

func maxKey(a, b []byte) []byte {
	if bytes.Compare(a, b) >= 0 {
		return a
	}
	return b
}

// minKey returns the smaller upper bound; nil is no bound.
func minKey(a, b []byte) []byte {
	if a == nil || (b != nil && bytes.Compare(b, a) < 0) {
		return b
	}
	return a
}

// String describes the plan, for Query.Plan: "scan", "scan, then sort", or
// "index NAME:" with the fields it fixes and bounds.
func (p plan) String() string {
	var parts []string
	if p.ix != nil {
		for _, fp := range p.ix.fields[:p.eq] {
			parts = append(parts, strings.Join(fp, ".")+" =")
		}
		if p.ranged {
			parts = append(parts, strings.Join(p.ix.fields[p.eq], ".")+" range")
		}
	}
	switch {
	case !p.ordered:
		parts = append(parts, "then sort")
	case p.desc:
		parts = append(parts, "descending")
	}
	head := "scan"
	if p.ix != nil {
		head = "index " + p.ix.name + ":"
	}
	if len(parts) == 0 {
		return head
	}
	if p.ix == nil {
		head += ","
	}
	return head + " " + strings.Join(parts, ", ")
}
