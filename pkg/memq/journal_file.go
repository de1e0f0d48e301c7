package memq

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// The journal file's layout: a root bucket "queues" holds a bucket per
// topic, which holds a bucket per subscription (its queue), which holds the
// subscription's messages keyed by an 8-byte big-endian sequence number. A
// root bucket "corrupt" keeps the values found unreadable, moved out of the
// queues at load (see Broker.OpenJournal).
var (
	queuesBucket  = []byte("queues")
	corruptBucket = []byte("corrupt")
)

// journalMaxBatchDelay is how long a journal write waits for others to share
// its commit (bbolt's DB.MaxBatchDelay, 10 ms by default): none. A
// *pubsub.Topic already gathers the messages sent while its previous batch
// commits into its next SendBatch, so a wait only adds latency (measured:
// 10 ms, 1 ms and 0 give 11.5 ms, 1.7 ms and 0.5 ms per Send from two
// goroutines, and 0 is also fastest from 32). Writes from other handles and
// acks arriving together still share a commit.
const journalMaxBatchDelay = 0

// journalLockTimeout is how long opening a journal waits for another process
// to release the file before it fails.
const journalLockTimeout = time.Second

// journalFile is one bbolt file shared by every journal on it in this
// process.
type journalFile struct {
	path string
	db   *bbolt.DB
	refs int // guarded by openFiles.mu
}

// openFiles are the journal files open in this process, by absolute path.
// bbolt locks its file, and a second bbolt.Open of a file the process holds
// already waits for the lock for ever; so there is one *bbolt.DB per path,
// shared and refcounted. It is package state, against STYLE's habit, because
// the lock it stands for belongs to the process, not to a Broker.
var openFiles = struct {
	mu    sync.Mutex
	files map[string]*journalFile
}{files: map[string]*journalFile{}}

// acquireJournalFile opens the journal file at path, or shares the one
// open already; release it when done.
func acquireJournalFile(path string) (*journalFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	openFiles.mu.Lock()
	defer openFiles.mu.Unlock()
	if f := openFiles.files[abs]; f != nil {
		f.refs++
		return f, nil
	}
	if err := boltfile.Check(abs); err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	db, err := bbolt.Open(abs, 0o600, &bbolt.Options{Timeout: journalLockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open journal: %s is locked by another process (another Herald on the same data dir?)", abs)
	}
	if err != nil {
		return nil, fmt.Errorf("open journal %s: %w", abs, err)
	}
	db.MaxBatchDelay = journalMaxBatchDelay
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{queuesBucket, corruptBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open journal %s: %w", abs, err)
	}
	f := &journalFile{path: abs, db: db, refs: 1}
	openFiles.files[abs] = f
	return f, nil
}

// release drops one reference to f, closing the file with the last.
func (f *journalFile) release() error {
	openFiles.mu.Lock()
	defer openFiles.mu.Unlock()
	if f.refs--; f.refs > 0 {
		return nil
	}
	delete(openFiles.files, f.path)
	if err := f.db.Close(); err != nil {
		return fmt.Errorf("close journal %s: %w", f.path, err)
	}
	return nil
}
