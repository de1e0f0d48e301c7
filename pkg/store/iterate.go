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
