package boltdoc

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/txn"
)

// Includes implements txn.Writer: collections of c's file.
func (c *collection) Includes(coll *docstore.Collection) bool {
	var cc *collection
	return coll.As(&cc) && cc.commits == c.commits
}

// Create implements txn.Writer: creates in collections of c's file, in one
// transaction of its Committer (so they share a commit with other writers
// too), all or none.
func (c *collection) Create(ctx context.Context, creates ...txn.Create) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	type group struct {
		c  *collection
		ws []*write
	}
	var groups []*group
	byColl := map[*collection]*group{}
	for i, cr := range creates {
		var cc *collection
		if !c.Includes(cr.Coll) || !cr.Coll.As(&cc) {
			return txn.ErrUnsupported
		}
		doc, err := driver.NewDocument(cr.Doc)
		if err != nil {
			return errorf(gcerrors.InvalidArgument, "create %d: %v", i, err)
		}
		key, err := cc.Key(doc)
		if err != nil {
			return err
		}
		w, err := cc.prepareWrite(&driver.Action{Kind: driver.Create, Doc: doc, Key: key, Index: i})
		if err != nil {
			return err
		}
		g := byColl[cc]
		if g == nil {
			g = &group{c: cc}
			byColl[cc] = g
			groups = append(groups, g)
		}
		g.ws = append(g.ws, w)
	}
	// A failed create fails the function, which rolls the whole
	// transaction back (the Committer runs it again alone, to the same end).
	err := c.commits.Do(func(tx *bolt.Tx) error {
		for _, g := range groups {
			if err := g.c.applyWrites(tx, nil, g.ws); err != nil {
				return err
			}
			for _, w := range g.ws {
				if w.err != nil {
					return w.err
				}
			}
		}
		return nil
	})
	switch {
	case err != nil && errorCode(err) == gcerrors.AlreadyExists:
		return fmt.Errorf("%w: %v", txn.ErrExists, err)
	case err != nil:
		return fmt.Errorf("boltdoc: write: %w", err)
	}
	for _, g := range groups {
		for _, w := range g.ws {
			if err := w.finish(g.c); err != nil {
				return err
			}
		}
	}
	return nil
}
