package boltdoc

import (
	"reflect"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"
)

// A write is one write action, prepared outside the transaction, with the
// outcome of its last run inside one.
type write struct {
	a      *driver.Action
	key    any            // the document key; generated for a keyless Create
	genKey bool           // key was generated here
	pk     []byte         // encoded key
	doc    map[string]any // the new document, for Create, Replace and Put
	raw    []byte         // doc serialized (its revision stamped in at commit)
	// entries are doc's index entries, one per index, computed with raw
	// outside the transaction; nil for Update and Delete, and where an
	// index reads the revision.
	entries [][]byte
	mods    []mod // for Update
	rev     any   // the revision the caller holds (int64), or nil
	setRev  bool  // the caller's document has a revision field to fill

	// Outcome, reset by every run of applyWrites.
	err    error
	newRev int64 // 0: none
}

// prepareWrites prepares each action, recording failures in errs.
func (c *collection) prepareWrites(as []*driver.Action, errs []error) []*write {
	ws := make([]*write, 0, len(as))
	for _, a := range as {
		w, err := c.prepareWrite(a)
		if err != nil {
			errs[a.Index] = err
			continue
		}
		ws = append(ws, w)
	}
	return ws
}

func (c *collection) prepareWrite(a *driver.Action) (*write, error) {
	w := &write{a: a, key: a.Key}
	if w.key == nil {
		if a.Kind != driver.Create || !c.canGenerateKey(a.Doc) {
			return nil, errorf(gcerrors.InvalidArgument, "missing document key")
		}
		w.key, w.genKey = driver.UniqueString(), true
	}
	var err error
	if w.pk, err = encodeKey(w.key); err != nil {
		return nil, err
	}
	if rev, _ := a.Doc.GetField(c.revField); rev != nil {
		if _, ok := rev.(int64); !ok {
			return nil, errorf(gcerrors.InvalidArgument, "revision field %s is %T, not int64", c.revField, rev)
		}
		w.rev = rev
	}
	w.setRev = a.Kind != driver.Delete && c.hasRevField(a.Doc)
	switch a.Kind {
	case driver.Create, driver.Replace, driver.Put:
		if w.doc, err = encodeDoc(a.Doc); err != nil {
			return nil, err
		}
		delete(w.doc, c.revField) // the stored header carries it
		if w.genKey {
			w.doc[c.keyField] = w.key
		}
		if w.raw, err = marshalValue(w.key, w.doc, w.setRev); err != nil {
			return nil, err
		}
		if !c.revIndexed {
			if w.entries, err = c.entries(w.pk, w.doc); err != nil {
				return nil, err
			}
		}
	case driver.Update:
		if w.mods, err = encodeMods(a.Mods); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// canGenerateKey reports whether a Create without a key can be given a
// generated one: a string, so only where the key field can hold a string (a
// zero int64 ID is a missing key, not a place for a UUID).
func (c *collection) canGenerateKey(doc driver.Document) bool {
	if c.keyField == "" {
		return false
	}
	v, err := doc.GetField(c.keyField)
	if err != nil || v == nil {
		return true // a map without the field, or with nil
	}
	_, ok := v.(string)
	return ok
}

// finish hands a committed write's generated key and revision back to the
// caller's document.
func (w *write) finish(c *collection) error {
	if w.genKey {
		if err := w.a.Doc.SetField(c.keyField, w.key); err != nil {
			return errorf(gcerrors.InvalidArgument, "cannot set key field %q: %v", c.keyField, err)
		}
	}
	if w.setRev && w.newRev != 0 {
		return w.a.Doc.SetField(c.revField, w.newRev)
	}
	return nil
}

// applyWrites applies the plain writes one by one, then the atomic ones all
// or none. It records each outcome in its write and returns an error only
// when bbolt fails, which fails the whole transaction.
func (c *collection) applyWrites(tx *bolt.Tx, plain, atomic []*write) error {
	b, docs, err := c.buckets(tx)
	if err != nil {
		return err
	}
	ap := applier{c: c, b: b, docs: docs, iw: indexWriter{bucket: b, idx: c.indexes}}
	for _, w := range plain {
		w.err, w.newRev = nil, 0
		ch, err := ap.stage(w)
		if err != nil {
			w.err = err
			continue
		}
		if err := ap.commit(ch); err != nil {
			return err
		}
	}
	changes := make([]change, 0, len(atomic))
	var failed error
	for _, w := range atomic {
		w.err, w.newRev = nil, 0
		ch, err := ap.stage(w)
		if err != nil && failed == nil {
			failed = err
		}
		changes = append(changes, ch)
	}
	if failed != nil {
		for _, w := range atomic {
			w.err = failed
		}
		return nil
	}
	for _, ch := range changes {
		if err := ap.commit(ch); err != nil {
			return err
		}
	}
	return nil
}

// A change is a staged write: everything checked, nothing written yet.
type change struct {
	w    *write
	prev map[string]any // the stored document's indexed fields, if there are indexes
	next map[string]any // the new document; nil to delete
	raw  []byte         // next serialized
	bump bool           // next gets a new revision
	// entries are next's index entries when they were computed before the
	// transaction (see write.entries); nil: computed from next.
	entries [][]byte
}

type applier struct {
	c    *collection
	b    *bolt.Bucket // the collection's bucket
	docs *bolt.Bucket
	iw   indexWriter
}

// stage checks a write against the stored document and computes the new one.
func (ap *applier) stage(w *write) (change, error) {
	c := ap.c
	ch := change{w: w}
	raw := ap.docs.Get(w.pk)
	if err := checkExistence(w, raw != nil); err != nil {
		return ch, err
	}
	var prevRev int64
	var prevHasRev bool
	if raw != nil {
		var err error
		if prevRev, prevHasRev, err = storedRev(raw); err != nil {
			return ch, err
		}
		if w.rev != nil && (!prevHasRev || w.rev.(int64) != prevRev) {
			return ch, errorf(gcerrors.FailedPrecondition, "document %v: revision %v is not the current one", w.key, w.rev)
		}
	}
	if raw != nil && len(c.indexes) > 0 {
		var err error
		if ch.prev, err = unmarshalFields(raw, c.indexed, c.revField); err != nil {
			return ch, err
		}
	}
	switch w.a.Kind {
	case driver.Delete:
		return ch, nil
	case driver.Update:
		next, err := unmarshalDoc(raw, c.revField)
		if err != nil {
			return ch, err
		}
		delete(next, c.revField)
		if err := applyMods(next, w.mods); err != nil {
			return ch, err
		}
		ch.next = next
		ch.bump = w.setRev || prevHasRev
	default:
		// Serialized, with its index entries, when it was prepared.
		ch.next, ch.raw, ch.entries = w.doc, w.raw, w.entries
		delete(ch.next, c.revField)
		ch.bump = w.setRev
		if ch.entries != nil {
			return ch, nil
		}
	}
	if ch.raw == nil {
		var err error
		if ch.raw, err = marshalValue(w.key, ch.next, ch.bump); err != nil {
			return ch, err
		}
	}
	return ch, ap.iw.checkSize(w.pk, ch.next)
}

// checkExistence applies the driver contract on a document's existence.
func checkExistence(w *write, exists bool) error {
	switch {
	case exists && w.a.Kind == driver.Create:
		return errorf(gcerrors.AlreadyExists, "document with key %v exists", w.key)
	case !exists && (w.a.Kind == driver.Replace || w.a.Kind == driver.Update):
		return errorf(gcerrors.NotFound, "document with key %v does not exist", w.key)
	case !exists && w.rev != nil:
		return errorf(gcerrors.NotFound, "document with key %v does not exist", w.key)
	}
	return nil
}

// commit writes a staged change: the document, a new revision, the indexes.
func (ap *applier) commit(ch change) error {
	w := ch.w
	if ch.next == nil {
		if err := ap.docs.Delete(w.pk); err != nil {
			return err
		}
		return ap.iw.update(w.pk, ch.prev, nil, nil)
	}
	if ch.bump {
		seq, err := ap.b.NextSequence()
		if err != nil {
			return err
		}
		w.newRev = int64(seq)
		setStoredRev(ch.raw, w.newRev)
		ch.next[ap.c.revField] = w.newRev // so an index on the revision sees it
	}
	if err := ap.docs.Put(w.pk, ch.raw); err != nil {
		return err
	}
	if err := ap.iw.update(w.pk, ch.prev, ch.next, ch.entries); err != nil {
		return err
	}
	return nil
}

// hasRevField reports whether doc has the revision field, as
// driver.Document.HasField does, remembering the answer for each struct
// type: HasField matches a struct's fields with a copy of their description
// made on each call (gocloud's fields.List.MatchExactBytes), an allocation
// per write.
func (c *collection) hasRevField(doc driver.Document) bool {
	if m, ok := doc.Origin.(map[string]any); ok {
		_, has := m[c.revField]
		return has
	}
	t := reflect.TypeOf(doc.Origin)
	if has, ok := c.revTypes.Load(t); ok {
		return has.(bool)
	}
	has := doc.HasField(c.revField)
	c.revTypes.Store(t, has)
	return has
}

// marshalValue serializes document doc of key (see marshalDoc), refusing
// one too large for a bbolt value.
func marshalValue(key any, doc map[string]any, withRev bool) ([]byte, error) {
	raw, err := marshalDoc(nil, doc, withRev)
	if err != nil {
		return nil, err
	}
	if len(raw) > bolt.MaxValueSize {
		return nil, errorf(gcerrors.InvalidArgument, "document %v: %d bytes is too large", key, len(raw))
	}
	return raw, nil
}
