package store

import (
	"context"
	"io"
	"iter"

	"gocloud.dev/docstore"
)

// Docs ranges over the documents it returns, each decoded into a new T, and
// stops it when the loop ends. An error ends the sequence, yielded with a nil
// document.
func Docs[T any](ctx context.Context, it *docstore.DocumentIterator) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		defer it.Stop()
		for {
			doc := new(T)
			err := it.Next(ctx, doc)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(doc, nil) {
				return
			}
		}
	}
}

// All reads every document it returns.
func All[T any](ctx context.Context, it *docstore.DocumentIterator) ([]*T, error) {
	var out []*T
	for doc, err := range Docs[T](ctx, it) {
		if err != nil {
			return nil, err
		}
		out = append(out, doc)
	}
	return out, nil
}

// Count counts the documents it returns, each decoded into a T.
func Count[T any](ctx context.Context, it *docstore.DocumentIterator) (int, error) {
	n := 0
	for _, err := range Docs[T](ctx, it) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// Merged ranges over the documents the iterators return, each iterator's in
// the order first (which reports whether a goes before b) puts them, as one
// sequence in that order: a k-way merge of queries over several partitions
// (shards, webhooks) of one ordered index. Each iterator is stopped when
// the loop ends. An error ends the sequence, yielded with a nil document.
func Merged[T any](ctx context.Context, its []*docstore.DocumentIterator, first func(a, b *T) bool) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		defer func() {
			for _, it := range its {
				it.Stop()
			}
		}()
		heads := make([]*T, len(its))
		advance := func(i int) error {
			doc := new(T)
			switch err := its[i].Next(ctx, doc); {
			case err == io.EOF:
				heads[i] = nil
			case err != nil:
				return err
			default:
				heads[i] = doc
			}
			return nil
		}
		for i := range its {
			if err := advance(i); err != nil {
				yield(nil, err)
				return
			}
		}
		for {
			top := -1
			for i, h := range heads {
				if h != nil && (top < 0 || first(h, heads[top])) {
					top = i
				}
			}
			if top < 0 || !yield(heads[top], nil) {
				return
			}
			if err := advance(top); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}
