package memq

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// The journal file's layout: a root bucket "queues" holds a bucket per
// topic, which holds a bucket per subscription (its queue), which holds the
// subscription's messages keyed by an 8-byte big-endian sequence number. A
// root bucket "corrupt" keeps the values found unreadable, moved out of the
// queues at load (see Broker.OpenJournal). The file may hold other buckets
// besides, of other users of the file (boltdoc collections, say).
var (
	queuesBucket  = []byte("queues")
	corruptBucket = []byte("corrupt")
)

// journalLockTimeout is how long opening a journal waits for another process
// to release the file before it fails.
const journalLockTimeout = time.Second

// journalFile is one bbolt file shared by every journal on it in this
// process, and by every other user of the file in it (boltfile.Open): their
// writes share commits. A journal's writes wait for no others
// (boltfile.Committer.DoNow): the first commits at once, and those arriving
// meanwhile share the next commit (a *pubsub.Topic already gathers the
// messages sent while its previous batch commits into its next SendBatch,
// so a wait would only add latency).
type journalFile struct {
	*boltfile.File
}

// acquireJournalFile opens the journal file at path, or shares the one
// open already; release it when done.
func acquireJournalFile(path string) (*journalFile, error) {
	f, err := boltfile.Open(path, journalLockTimeout)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	err = f.Do(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{queuesBucket, corruptBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = f.Release()
		return nil, fmt.Errorf("open journal %s: %w", f.Path, err)
	}
	return &journalFile{f}, nil
}

// release drops one reference to f, closing the file with the last.
func (f *journalFile) release() error {
	if err := f.Release(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}
