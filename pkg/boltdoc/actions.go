package boltdoc

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"
)

// RunActions implements driver.Collection. Gets that must precede the writes
// run in one read transaction, then every write of the list in one write
// transaction (group-committed with other callers' writes, see boltfile.Committer),
// then the gets that must follow. Each write succeeds or fails on
// its own, except the atomic ones, which succeed or fail together.
func (c *collection) RunActions(ctx context.Context, actions []*driver.Action, opts *driver.RunActionsOptions) driver.ActionListError {
	errs := make([]error, len(actions))
	if opts.BeforeDo != nil {
		if err := opts.BeforeDo(func(any) bool { return false }); err != nil {
			for i := range errs {
				errs[i] = err
			}
			return driver.NewActionListError(errs)
		}
	}
	beforeGets, gets, writes, atomicWrites, afterGets := driver.GroupActions(actions)
	c.runGets(ctx, append(beforeGets, gets...), errs)
	c.runWrites(ctx, writes, atomicWrites, errs)
	c.runGets(ctx, afterGets, errs)
	return driver.NewActionListError(errs)
}

// runGets runs Get actions in one read transaction.
func (c *collection) runGets(ctx context.Context, gets []*driver.Action, errs []error) {
	if len(gets) == 0 {
		return
	}
	if err := ctx.Err(); err != nil {
		setErrs(errs, gets, err)
		return
	}
	err := c.db.View(func(tx *bolt.Tx) error {
		_, docs, err := c.buckets(tx)
		if err != nil {
			return err
		}
		for _, a := range gets {
			errs[a.Index] = c.get(docs, a)
		}
		return nil
	})
	if err != nil {
		setErrs(errs, gets, err)
	}
}

func (c *collection) get(docs *bolt.Bucket, a *driver.Action) error {
	pk, err := encodeKey(a.Key)
	if err != nil {
		return err
	}
	raw := docs.Get(pk)
	if raw == nil {
		return errorf(gcerrors.NotFound, "document with key %v does not exist", a.Key)
	}
	var doc map[string]any
	if len(a.FieldPaths) > 0 {
		// Only the fields asked for are decoded (see decodeDoc).
		names := make(map[string]bool, len(a.FieldPaths))
		for _, fp := range a.FieldPaths {
			names[fp[0]] = true
		}
		doc, err = unmarshalFields(raw, names, c.revField)
	} else {
		doc, err = unmarshalDoc(raw, c.revField)
	}
	if err != nil {
		return fmt.Errorf("key %v: %w", a.Key, err)
	}
	return decodeDoc(doc, a.Doc, a.FieldPaths)
}

// runWrites prepares the writes outside any transaction (key generation,
// encoding), applies them in one batched write transaction, and on commit
// hands back generated keys and new revisions to the caller's documents.
func (c *collection) runWrites(ctx context.Context, plain, atomic []*driver.Action, errs []error) {
	if len(plain)+len(atomic) == 0 {
		return
	}
	if err := ctx.Err(); err != nil {
		setErrs(errs, plain, err)
		setErrs(errs, atomic, err)
		return
	}
	ws := c.prepareWrites(plain, errs)
	aws := c.prepareWrites(atomic, errs)
	if len(aws) < len(atomic) { // one failed to prepare: none may run
		err := firstErr(errs, atomic)
		setErrs(errs, atomic, err)
		aws = nil
	}
	if len(ws)+len(aws) == 0 {
		return
	}
	// The committer may run this function more than once (when another
	// caller's function in the same batch fails, the batch is rolled back and
	// run again). applyWrites resets every outcome it records, so only the run
	// that committed counts; and it returns an error only for failures of
	// bbolt itself, never for one action's failure.
	err := c.commits.Do(func(tx *bolt.Tx) error { return c.applyWrites(tx, ws, aws) })
	for _, w := range append(ws, aws...) {
		switch {
		case err != nil:
			errs[w.a.Index] = fmt.Errorf("boltdoc: write: %w", err)
		case w.err != nil:
			errs[w.a.Index] = w.err
		default:
			errs[w.a.Index] = w.finish(c)
		}
	}
}

func setErrs(errs []error, as []*driver.Action, err error) {
	for _, a := range as {
		errs[a.Index] = err
	}
}

func firstErr(errs []error, as []*driver.Action) error {
	for _, a := range as {
		if errs[a.Index] != nil {
			return errs[a.Index]
		}
	}
	return nil
}

// buckets returns the collection's bucket and its documents bucket.
func (c *collection) buckets(tx *bolt.Tx) (coll, docs *bolt.Bucket, err error) {
	coll = tx.Bucket(c.name)
	if coll == nil {
		return nil, nil, errorf(gcerrors.Internal, "collection bucket %q is missing", c.name)
	}
	return coll, coll.Bucket([]byte(docsBucket)), nil
}
