// Package boltdoc is a gocloud.dev/docstore driver that keeps collections in
// a bbolt file: an embedded, crash-safe store for running Herald on one
// machine without a database server.
//
// # Guarantees
//
// Durable on return: a write action list returns only after its bbolt
// transaction has committed, and bbolt commits with fsync (NoSync stays
// false), so a document acknowledged before a crash, power loss or SIGKILL is
// there after reopening, and the file is never left half written. Files
// opened by path skip writing bbolt's freelist on each commit, as etcd does:
// fewer pages per fsync, at the cost of a scan of the file when it is opened.
//
// Group commit: concurrent writers share one transaction and one fsync. The
// first writer commits at once; writers arriving while a commit is in flight
// are committed together by the next one (see boltfile.Committer for why
// this is not bbolt's DB.Batch, which holds every batch open for 10ms). As
// with Batch, a writer's transaction function may run again when another
// function in its batch fails; this package records each action's outcome
// afresh on every run and fails the transaction only on bbolt errors, so one
// action's failure (NotFound, AlreadyExists, FailedPrecondition) never fails
// another's.
//
// Action lists: gets that must precede the writes run in one read
// transaction, then all writes of the list in one write transaction, then the
// gets that must follow. Create of an existing key fails with AlreadyExists;
// Replace or Update of a missing key with NotFound; a write carrying a
// revision that is not the stored one with FailedPrecondition (NotFound if
// the document is gone). Atomic writes (ActionList.AtomicWrites) succeed or
// fail together.
//
// Revisions are int64s from the collection bucket's sequence, increasing on
// every write. The revision field defaults to docstore.DefaultRevisionField
// ("DocstoreRevision"), as in memdocstore; Options.RevisionField or the URL's
// revision_field changes it.
//
// One process: bbolt locks the file, so only one process may open it; within
// a process, every collection opened on the same path shares one *bolt.DB,
// closed with the last of them. A second process fails to open after 5s.
//
// # Storage and queries
//
// A file holds many collections, each a top-level bucket named after it with
// a "docs" bucket of documents keyed by an order-preserving encoding of their
// key (so an int64 key field orders numerically) and one bucket per secondary
// index. Documents are stored in a compact tagged binary form that
// round-trips every type the docstore codec produces.
//
// A secondary index (Options.Indexes, or index= in the URL) lists fields; its
// entries are the fields' values, in an order-preserving encoding, followed
// by the primary key, and they are written in the same transaction as the
// document. A query whose "=" filters fix an index's leading fields, and
// optionally whose range filters or OrderBy are on the next field, reads only
// that part of the index; the documents bucket serves the key field the same
// way. Filters not covered by the index are applied to the documents read.
// Other queries scan the collection, and sort when they have an OrderBy.
// Query.Plan says which: "index webhook_id,id: webhook_id =, id range,
// descending" or "scan". Numbers compare by value across int64 and float64;
// documents missing an indexed or ordered field sort first in ascending order.
//
// Query results are read in pages of up to 256 documents, each page in its
// own read transaction, so the caller may write between calls to Next.
package boltdoc
