package boltdoc

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"gocloud.dev/docstore"
)

func init() {
	docstore.DefaultURLMux().RegisterCollection(Scheme, &URLOpener{})
}

// Scheme is the URL scheme boltdoc registers its URLOpener under on
// docstore.DefaultURLMux.
const Scheme = "bolt"

// URLOpener opens URLs like
//
//	bolt://deliveries/id?file=/var/lib/herald/herald.db&index=webhook_id,id&index=event_id
//
// The host is the collection name and the path the key field. Query
// parameters:
//
//   - file (required): the bbolt file, created with mode 0600 if missing.
//     Collections on the same file share it (see OpenCollectionFile).
//   - index (optional, repeatable): a secondary index, its fields separated by
//     commas; "a.b" names a nested field.
//   - sparse (optional, repeatable): a sparse secondary index (see
//     Options.Sparse), written as index is.
//   - revision_field (optional): the revision field; defaults to
//     docstore.DefaultRevisionField.
type URLOpener struct{}

// OpenCollectionURL opens the collection u names.
func (*URLOpener) OpenCollectionURL(_ context.Context, u *url.URL) (*docstore.Collection, error) {
	name := u.Host
	if name == "" {
		return nil, fmt.Errorf("open collection %s: empty collection name", u.Redacted())
	}
	keyField := strings.TrimPrefix(u.Path, "/")
	if keyField == "" || strings.Contains(keyField, "/") {
		return nil, fmt.Errorf("open collection %s: invalid key field %q (must be non-empty, without slashes)", u.Redacted(), keyField)
	}
	q := u.Query()
	file := q.Get("file")
	if file == "" {
		return nil, fmt.Errorf("open collection %s: missing file parameter", u.Redacted())
	}
	opts := &Options{RevisionField: q.Get("revision_field")}
	for _, param := range []string{"index", "sparse"} {
		for _, spec := range q[param] {
			ix, err := parseIndex(spec, false)
			if err != nil {
				return nil, fmt.Errorf("open collection %s: %w", u.Redacted(), err)
			}
			if param == "sparse" {
				opts.Sparse = append(opts.Sparse, joinPaths(ix.fields))
			} else {
				opts.Indexes = append(opts.Indexes, joinPaths(ix.fields))
			}
		}
	}
	for param := range q {
		switch param {
		case "file", "index", "sparse", "revision_field":
		default:
			return nil, fmt.Errorf("open collection %s: unknown query parameter %q", u.Redacted(), param)
		}
	}
	return OpenCollectionFile(file, name, keyField, opts)
}

// joinPaths turns parsed field paths back into dotted names.
func joinPaths(fps [][]string) []string {
	out := make([]string, len(fps))
	for i, fp := range fps {
		out[i] = strings.Join(fp, ".")
	}
	return out
}
