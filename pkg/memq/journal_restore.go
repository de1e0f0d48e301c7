package memq

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	"go.etcd.io/bbolt"
)

// restored is a message read back from a journal.
type restored struct {
	key uint64
	rec record
}

// badEntry is a journal value that could not be read back.
type badEntry struct {
	sub      string // "" for a value where a subscription's bucket belongs
	key, val []byte
	err      error
}

// restore attaches j to t: it writes the messages t holds in memory to j,
// then loads every message j holds for t into t's subscriptions, creating
// the subscriptions it names. t.mu is held.
func (t *Topic) restore(j *journal, log *slog.Logger) error {
	hs := map[*Subscription][]held{}
	for _, s := range t.subs {
		hs[s] = s.q.unjournaled()
	}
	keys := map[*Subscription][]uint64{}
	var loaded map[string][]restored
	var bad []badEntry
	err := j.file.DB.Update(func(tx *bbolt.Tx) error {
		tb, err := tx.Bucket(queuesBucket).CreateBucketIfNotExists(j.topic)
		if err != nil {
			return err
		}
		loaded, bad = loadQueues(tb) // before adding what memory holds
		if err := quarantine(tx, j.topic, tb, bad); err != nil {
			return err
		}
		for s, h := range hs {
			if keys[s], err = putHeld(tx, j, s.name, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range bad {
		log.Error("memq: skipped an unreadable journal entry (a value is moved to the file's corrupt bucket)",
			"journal", j.file.Path, "topic", t.name, "subscription", b.sub, "key", fmt.Sprintf("%x", b.key), "err", b.err)
	}
	for s, h := range hs {
		if gone := s.q.setKeys(h, keys[s]); len(gone) > 0 {
			// Acked while being journaled: a failed delete only means
			// a redelivery after a restart.
			_ = j.delete(s.name, gone)
		}
	}
	for name, msgs := range loaded {
		s := t.subscriptionLocked(name)
		for _, m := range msgs {
			s.q.addJournaled(m.key, m.rec.body, m.rec.metadata, m.rec.due)
		}
	}
	return nil
}

// putHeld writes the messages hs of subscription sub, returning their keys.
func putHeld(tx *bbolt.Tx, j *journal, sub string, hs []held) ([]uint64, error) {
	b, err := j.bucket(tx, sub)
	if err != nil {
		return nil, err
	}
	keys := make([]uint64, len(hs))
	for i, h := range hs {
		seq, err := b.NextSequence()
		if err != nil {
			return nil, err
		}
		if err := b.Put(seqKey(seq), encodeRecord(h.body, h.metadata, h.due)); err != nil {
			return nil, err
		}
		keys[i] = seq
	}
	return keys, nil
}

// loadQueues reads the messages of every subscription bucket of tb, in key
// order, and the entries it cannot read.
func loadQueues(tb *bbolt.Bucket) (map[string][]restored, []badEntry) {
	loaded := map[string][]restored{}
	var bad []badEntry
	_ = tb.ForEach(func(name, v []byte) error {
		if v != nil {
			bad = append(bad, badEntry{key: bytes.Clone(name), val: bytes.Clone(v), err: errors.New("a value where a subscription's bucket belongs")})
			return nil
		}
		sub := string(name)
		msgs, b := loadQueue(tb.Bucket(name), sub)
		loaded[sub], bad = msgs, append(bad, b...)
		return nil
	})
	return loaded, bad
}

// loadQueue reads the messages of subscription sub's bucket b.
func loadQueue(b *bbolt.Bucket, sub string) ([]restored, []badEntry) {
	var msgs []restored
	var bad []badEntry
	_ = b.ForEach(func(k, v []byte) error {
		// k and v point into the file's memory map, valid only in this
		// transaction: a bad entry keeps copies.
		k, v = bytes.Clone(k), bytes.Clone(v)
		switch {
		case v == nil:
			// A nested bucket: nothing memq writes. It stays where it
			// is (moving a bucket is more than this is worth).
			bad = append(bad, badEntry{sub: sub, key: k, err: errors.New("a bucket where a message belongs")})
		case len(k) != 8:
			bad = append(bad, badEntry{sub: sub, key: k, val: v, err: errors.New("a key that is not 8 bytes")})
		default:
			rec, err := decodeRecord(v)
			if err != nil {
				bad = append(bad, badEntry{sub: sub, key: k, val: v, err: err})
				return nil
			}
			msgs = append(msgs, restored{key: binary.BigEndian.Uint64(k), rec: rec})
		}
		return nil
	})
	return msgs, bad
}

// quarantine moves the unreadable values bad out of topic bucket tb into
// the corrupt bucket, keyed topic NUL subscription NUL key, so that they
// are reported once and kept for inspection. Nested buckets stay.
func quarantine(tx *bbolt.Tx, topic []byte, tb *bbolt.Bucket, bad []badEntry) error {
	cb := tx.Bucket(corruptBucket)
	for _, e := range bad {
		if e.val == nil {
			continue
		}
		qk := bytes.Join([][]byte{topic, []byte(e.sub), e.key}, []byte{0})
		if err := cb.Put(qk, e.val); err != nil {
			return err
		}
		from := tb
		if e.sub != "" {
			from = tb.Bucket([]byte(e.sub))
		}
		if err := from.Delete(e.key); err != nil {
			return err
		}
	}
	return nil
}
