package memq

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
)

// MoveJournal moves every message journaled in the file from (every topic's,
// every subscription's, and the corrupt entries) into the journal file to,
// then removes from. It returns how many messages it moved; a missing from
// moves none. Call it before any Broker opens either file's journals: it is
// for a program that changes where its topics are journaled, at start.
//
// The messages keep their order, after those to holds already. A crash
// after they are written to to and before from is removed moves them again
// at the next call: a message may then be delivered twice, which
// at-least-once delivery allows.
func MoveJournal(from, to string) (int, error) {
	if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	fromAbs, err := filepath.Abs(from)
	if err != nil {
		return 0, err
	}
	toAbs, err := filepath.Abs(to)
	if err != nil || toAbs == fromAbs {
		return 0, err
	}
	src, err := acquireJournalFile(from)
	if err != nil {
		return 0, err
	}
	var queues []movedQueue
	var corrupt [][2][]byte
	n := 0
	err = src.DB.View(func(tx *bbolt.Tx) error {
		err := tx.Bucket(queuesBucket).ForEachBucket(func(topic []byte) error {
			tb := tx.Bucket(queuesBucket).Bucket(topic)
			return tb.ForEachBucket(func(sub []byte) error {
				q := movedQueue{topic: bytes.Clone(topic), sub: bytes.Clone(sub)}
				err := tb.Bucket(sub).ForEach(func(k, v []byte) error {
					if v != nil { // nested buckets are nothing memq writes
						q.recs = append(q.recs, bytes.Clone(v))
					}
					return nil
				})
				n += len(q.recs)
				queues = append(queues, q)
				return err
			})
		})
		if err != nil {
			return err
		}
		return tx.Bucket(corruptBucket).ForEach(func(k, v []byte) error {
			if v != nil {
				corrupt = append(corrupt, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
			}
			return nil
		})
	})
	if err = errors.Join(err, src.release()); err != nil {
		return 0, fmt.Errorf("move journal %s: %w", from, err)
	}
	dst, err := acquireJournalFile(to)
	if err != nil {
		return 0, err
	}
	err = dst.Do(func(tx *bbolt.Tx) error {
		for _, q := range queues {
			t, err := tx.Bucket(queuesBucket).CreateBucketIfNotExists(q.topic)
			if err != nil {
				return err
			}
			b, err := t.CreateBucketIfNotExists(q.sub)
			if err != nil {
				return err
			}
			for _, rec := range q.recs {
				seq, err := b.NextSequence()
				if err != nil {
					return err
				}
				if err := b.Put(seqKey(seq), rec); err != nil {
					return err
				}
			}
		}
		for _, e := range corrupt {
			if err := tx.Bucket(corruptBucket).Put(e[0], e[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err = errors.Join(err, dst.release()); err != nil {
		return 0, fmt.Errorf("move journal %s to %s: %w", from, to, err)
	}
	if err := os.Remove(from); err != nil {
		return 0, fmt.Errorf("move journal %s: %w", from, err)
	}
	return n, nil
}

// movedQueue is one subscription's messages on their way to another file.
type movedQueue struct {
	topic, sub []byte
	recs       [][]byte
}
