package boltdoc

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
	"gocloud.dev/docstore"
	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/boltfile"
	"github.com/heraldhq/herald/pkg/txn"
)

// Options configure a collection. The zero value is usable.
type Options struct {
	// RevisionField is the name of the field holding the document revision.
	// Defaults to docstore.DefaultRevisionField ("DocstoreRevision").
	RevisionField string

	// Indexes declares secondary indexes, each a list of field names in order
	// ("a.b" names a nested field). Opening a collection builds declared indexes
	// that are missing and drops stored ones no longer declared. Defaults to none.
	Indexes [][]string

	// Sparse declares secondary indexes, as Indexes does, that hold only
	// the documents that have their first field: a query uses one only
	// when it filters on that field (equal, or a range), which a document
	// without it never matches, and writes of documents without it cost no
	// index entry. Defaults to none.
	Sparse [][]string

	// KeyFunc computes a document's primary key, for collections whose key is
	// not one field; keyField must then be empty. It must accept
	// map[string]any documents as well as the collection's struct type.
	// Defaults to nil: the key is the keyField.
	KeyFunc func(docstore.Document) any
}

// collection implements driver.Collection over one bucket of a bbolt file.
type collection struct {
	db       *bolt.DB
	name     []byte // top-level bucket
	keyField string
	keyFunc  func(docstore.Document) any
	revField string
	indexes  []*index // secondary indexes
	// indexed holds the top-level fields the indexes read: a write decodes
	// only these of the stored document it replaces, to find its old index
	// entries. revIndexed says an index reads the revision, which a write
	// learns only inside its transaction.
	indexed    map[string]bool
	revIndexed bool
	primary    *index // the documents bucket seen as an index; nil with KeyFunc
	commits    *boltfile.Committer
	release    func() error
	revTypes   sync.Map // reflect.Type → bool: whether it has revField (hasRevField)

	docsRead atomic.Int64 // documents decoded by queries; tests read it
}

// OpenCollection opens the collection name in db, creating its bucket if
// needed. keyField is the document field holding the primary key. The caller
// keeps ownership of db: closing the collection does not close it. Writes to
// this collection are group-committed with each other, not with writes made
// through other handles on db.
func OpenCollection(db *bolt.DB, name, keyField string, opts *Options) (*docstore.Collection, error) {
	c, err := newCollection(db, name, keyField, opts)
	if err != nil {
		return nil, err
	}
	return docstore.NewCollection(c), nil
}

// OpenCollectionFile is OpenCollection on the bbolt file at path, created
// with mode 0600 if missing. bbolt locks a file for one opener, so every
// collection opened on the same path in this process shares one *bolt.DB,
// closed when the last of them is closed, and their writes are
// group-committed together. Another process holding the file makes this fail
// after a timeout instead of waiting forever.
func OpenCollectionFile(path, name, keyField string, opts *Options) (*docstore.Collection, error) {
	f, release, err := openShared(path)
	if err != nil {
		return nil, err
	}
	c, err := newCollection(f.DB, name, keyField, opts)
	if err != nil {
		return nil, errors.Join(err, release())
	}
	c.commits, c.release = f.Committer, release
	return docstore.NewCollection(c), nil
}

func newCollection(db *bolt.DB, name, keyField string, opts *Options) (*collection, error) {
	if opts == nil {
		opts = &Options{}
	}
	if name == "" {
		return nil, errors.New("boltdoc: empty collection name")
	}
	if (keyField == "") == (opts.KeyFunc == nil) {
		return nil, errors.New("boltdoc: need exactly one of keyField and Options.KeyFunc")
	}
	c := &collection{
		db: db, name: []byte(name), keyField: keyField, keyFunc: opts.KeyFunc, revField: opts.RevisionField,
		commits: boltfile.NewCommitter(db),
	}
	if c.revField == "" {
		c.revField = docstore.DefaultRevisionField
	}
	if keyField != "" {
		c.primary = &index{name: "primary(" + keyField + ")", fields: [][]string{{keyField}}, primary: true}
	}
	for i, fields := range slices.Concat(opts.Indexes, opts.Sparse) {
		ix, err := parseIndex(strings.Join(fields, ","), i >= len(opts.Indexes))
		if err != nil {
			return nil, err
		}
		c.indexes = append(c.indexes, ix)
	}
	c.indexed = map[string]bool{}
	for _, ix := range c.indexes {
		for _, fp := range ix.fields {
			c.indexed[fp[0]] = true
		}
	}
	c.revIndexed = c.indexed[c.revField]
	err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(c.name)
		if err != nil {
			return err
		}
		if _, err := b.CreateBucketIfNotExists([]byte(docsBucket)); err != nil {
			return err
		}
		return syncIndexes(b, c.indexes, c.revField)
	})
	if err != nil {
		return nil, fmt.Errorf("boltdoc: open collection %q: %w", name, err)
	}
	return c, nil
}

// Key implements driver.Collection.
func (c *collection) Key(doc driver.Document) (any, error) {
	if c.keyField != "" {
		key, _ := doc.GetField(c.keyField) // a missing key is nil
		return key, nil
	}
	key := c.keyFunc(doc.Origin)
	if key == nil || driver.IsEmptyValue(reflect.ValueOf(key)) {
		return nil, errorf(gcerrors.InvalidArgument, "missing document key")
	}
	return key, nil
}

// encodeKey returns the bucket key for a document key: the order-preserving
// encoding of its docstore encoding, so an int64 key field orders numerically.
func encodeKey(key any) ([]byte, error) {
	v, err := encodeValue(key)
	if err != nil {
		return nil, err
	}
	switch t := keyType(v); t {
	case keyMissing, keyOther:
		return nil, errorf(gcerrors.InvalidArgument, "key %v of type %T cannot be a primary key", key, key)
	}
	return appendKey(nil, v), nil
}

// RevisionField implements driver.Collection.
func (c *collection) RevisionField() string { return c.revField }

// RevisionToBytes implements driver.Collection. Revisions are int64s.
func (c *collection) RevisionToBytes(rev any) ([]byte, error) {
	r, ok := rev.(int64)
	if !ok {
		return nil, errorf(gcerrors.InvalidArgument, "revision %v of type %T is not an int64", rev, rev)
	}
	return strconv.AppendInt(nil, r, 10), nil
}

// BytesToRevision implements driver.Collection.
func (c *collection) BytesToRevision(b []byte) (any, error) {
	r, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return nil, errorf(gcerrors.InvalidArgument, "revision %q: %v", b, err)
	}
	return r, nil
}

// As implements driver.Collection: it exposes the *bolt.DB, and a
// txn.Writer of creates across the collections of the file (see together.go).
func (c *collection) As(i any) bool {
	switch p := i.(type) {
	case **bolt.DB:
		*p = c.db
	case *txn.Writer:
		*p = c
	case **collection:
		*p = c
	default:
		return false
	}
	return true
}

// ErrorAs implements driver.Collection: bbolt's errors are reachable with errors.As.
func (c *collection) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// ErrorCode implements driver.Collection.
func (c *collection) ErrorCode(err error) gcerrors.ErrorCode { return errorCode(err) }

// Close implements driver.Collection. It closes the file when the collection
// was opened from a path and is the last one open on it.
func (c *collection) Close() error {
	if c.release == nil {
		return nil
	}
	return c.release()
}
