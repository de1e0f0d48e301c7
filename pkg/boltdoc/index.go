package boltdoc

import (
	"bytes"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/gcerrors"
)

// An index orders a collection's documents by some of their fields. Its
// bucket maps the order-preserving encoding (keyenc.go) of the fields'
// values, followed by the document's primary key, to the primary key. Every
// document has one entry in every index, written in the same transaction as
// the document.
//
// The primary bucket itself is treated as an index on the key field (when the
// collection has one): its keys are the encoded primary keys.
//
// A sparse index has entries only for the documents that have its first
// field: a query uses it only when it filters on that field, which no
// document without the field matches (see matchIndex). A write of a
// document that lacks the field, before and after, leaves it alone.
type index struct {
	name    string     // "webhook_id,id"; the bucket is indexPrefix+name
	fields  [][]string // field paths
	primary bool       // the documents bucket, keyed by the key field alone
	sparse  bool
}

const (
	docsBucket  = "docs"
	indexPrefix = "index:"
)

// sparsePrefix marks a sparse index's name (so that its bucket is another
// than that of the same fields not sparse, and declaring one or the other
// builds it anew).
const sparsePrefix = "sparse "

// parseIndex parses "a,b.c" into an index on field a then field path b.c.
func parseIndex(spec string, sparse bool) (*index, error) {
	ix := &index{name: spec, sparse: sparse}
	if sparse {
		ix.name = sparsePrefix + spec
	}
	for f := range strings.SplitSeq(spec, ",") {
		fp := strings.Split(f, ".")
		for _, part := range fp {
			if part == "" {
				return nil, fmt.Errorf("boltdoc: index %q: empty field name", spec)
			}
		}
		ix.fields = append(ix.fields, fp)
	}
	return ix, nil
}

// entry returns the index key of a document with the given primary key:
// nil, none, in a sparse index of a field the document lacks.
func (ix *index) entry(buf []byte, doc map[string]any, pk []byte) []byte {
	for i, fp := range ix.fields {
		v, ok := getPath(doc, fp)
		if i == 0 && ix.sparse && (!ok || v == nil) {
			return nil
		}
		buf = appendKey(buf, v)
	}
	return append(buf, pk...)
}

// indexWriter updates a collection's index buckets for one document change.
type indexWriter struct {
	bucket *bolt.Bucket // the collection's bucket
	idx    []*index
	old    []byte // scratch
	new    []byte
}

// update replaces a document's entries: prev is the stored document (nil if
// none), next the new one (nil for a delete), whose entries, when already
// computed, are nextEntries (one per index).
func (w *indexWriter) update(pk []byte, prev, next map[string]any, nextEntries [][]byte) error {
	for i, ix := range w.idx {
		b := w.bucket.Bucket([]byte(indexPrefix + ix.name))
		if b == nil {
			return errIndexDropped(ix)
		}
		// nil: no entry (no document, or a sparse index's field lacking);
		// an entry is never empty (it ends with the primary key).
		var old, entry []byte
		if prev != nil {
			if old = ix.entry(w.old[:0], prev, pk); old != nil {
				w.old = old
			}
		}
		switch {
		case nextEntries != nil:
			entry = nextEntries[i]
		case next != nil:
			if entry = ix.entry(w.new[:0], next, pk); entry != nil {
				w.new = entry
			}
		}
		if bytes.Equal(old, entry) {
			continue
		}
		if old != nil {
			if err := b.Delete(old); err != nil {
				return err
			}
		}
		if entry != nil {
			if err := fitsKey(ix, entry); err != nil {
				return err
			}
			if err := b.Put(entry, pk); err != nil {
				return err
			}
		}
	}
	return nil
}

// entries returns a document's index entries, one per index, checking
// that each fits in a bbolt key.
func (c *collection) entries(pk []byte, doc map[string]any) ([][]byte, error) {
	out := make([][]byte, len(c.indexes))
	for i, ix := range c.indexes {
		if out[i] = ix.entry(nil, doc, pk); out[i] == nil {
			continue
		}
		if err := fitsKey(ix, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fitsKey refuses an entry of index ix too large for a bbolt key.
func fitsKey(ix *index, entry []byte) error {
	if len(entry) > bolt.MaxKeySize {
		return errorf(gcerrors.InvalidArgument, "index %s: key of %d bytes exceeds %d", ix.name, len(entry), bolt.MaxKeySize)
	}
	return nil
}

// errIndexDropped reports an index bucket removed under an open collection:
// the same collection was opened again declaring other indexes.
func errIndexDropped(ix *index) error {
	return errorf(gcerrors.FailedPrecondition, "index %s was dropped: the collection was reopened without it", ix.name)
}

// checkSize reports whether a document's index keys fit, before anything is
// written, so a too-large value fails its own action and nothing else.
func (w *indexWriter) checkSize(pk []byte, next map[string]any) error {
	for _, ix := range w.idx {
		entry := ix.entry(w.new[:0], next, pk)
		if entry == nil {
			continue
		}
		w.new = entry
		if err := fitsKey(ix, entry); err != nil {
			return err
		}
	}
	return nil
}

// syncIndexes makes the collection bucket's index buckets match idx: it
// builds any missing index from the stored documents and drops indexes no
// longer declared, which would otherwise go stale.
func syncIndexes(coll *bolt.Bucket, idx []*index, revField string) error {
	want := map[string]bool{}
	for _, ix := range idx {
		want[indexPrefix+ix.name] = true
	}
	var drop [][]byte
	err := coll.ForEachBucket(func(name []byte) error {
		if strings.HasPrefix(string(name), indexPrefix) && !want[string(name)] {
			drop = append(drop, append([]byte(nil), name...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range drop {
		if err := coll.DeleteBucket(name); err != nil {
			return err
		}
	}
	docs := coll.Bucket([]byte(docsBucket))
	for _, ix := range idx {
		if coll.Bucket([]byte(indexPrefix+ix.name)) != nil {
			continue
		}
		b, err := coll.CreateBucket([]byte(indexPrefix + ix.name))
		if err != nil {
			return err
		}
		err = docs.ForEach(func(pk, raw []byte) error {
			doc, err := unmarshalDoc(raw, revField)
			if err != nil {
				return fmt.Errorf("build index %s: key %x: %w", ix.name, pk, err)
			}
			entry := ix.entry(nil, doc, pk)
			if entry == nil {
				return nil
			}
			return b.Put(entry, append([]byte(nil), pk...))
		})
		if err != nil {
			return err
		}
	}
	return nil
}
