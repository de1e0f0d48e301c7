package memq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"go.etcd.io/bbolt"
)

// ErrClosed is the error of a send to a journaled topic of a closed Broker.
var ErrClosed = errors.New("memq: broker closed")

// journal is a topic's journal: its subscriptions' messages, one bucket
// per subscription, in a journal file it shares.
type journal struct {
	file  *journalFile
	topic []byte

	mu     sync.RWMutex // held for reading by a write, for writing by close
	closed bool
}

// seqKey returns the bucket key of sequence number seq.
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// bucket returns the bucket of subscription sub, creating it if need be.
func (j *journal) bucket(tx *bbolt.Tx, sub string) (*bbolt.Bucket, error) {
	t, err := tx.Bucket(queuesBucket).CreateBucketIfNotExists(j.topic)
	if err != nil {
		return nil, err
	}
	return t.CreateBucketIfNotExists([]byte(sub))
}

// put stores recs in the queue of every subscription of subs and returns
// their keys, recs[k] in subs[i] at keys[i*len(recs)+k]. It returns once
// they are on disk; concurrent puts and deletes share one commit.
func (j *journal) put(subs []string, recs [][]byte) ([]uint64, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		return nil, ErrClosed
	}
	keys := make([]uint64, len(subs)*len(recs))
	err := j.file.DoNow(func(tx *bbolt.Tx) error {
		// The committer may run this again, alone, after a failed shared commit:
		// keys is written from scratch each time.
		for i, sub := range subs {
			b, err := j.bucket(tx, sub)
			if err != nil {
				return err
			}
			for k, rec := range recs {
				seq, err := b.NextSequence()
				if err != nil {
					return err
				}
				if err := b.Put(seqKey(seq), rec); err != nil {
					return err
				}
				keys[i*len(recs)+k] = seq
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", j.file.Path, err)
	}
	return keys, nil
}

// delete removes the messages keys from the queue of subscription sub.
func (j *journal) delete(sub string, keys []uint64) error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		return ErrClosed
	}
	err := j.file.DoNow(func(tx *bbolt.Tx) error {
		b, err := j.bucket(tx, sub)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete(seqKey(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.file.Path, err)
	}
	return nil
}

// ensure creates the (empty) queue of subscription sub, so that it is
// restored, and goes on collecting messages, after a restart.
func (j *journal) ensure(sub string) error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		return ErrClosed
	}
	return j.file.DoNow(func(tx *bbolt.Tx) error {
		_, err := j.bucket(tx, sub)
		return err
	})
}

// close releases the journal file; later writes fail with ErrClosed.
func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	return j.file.release()
}
