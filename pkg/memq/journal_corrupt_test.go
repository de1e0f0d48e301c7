package memq

import (
	"encoding/binary"
	"hash/crc32"
	"net/url"
	"testing"

	"go.etcd.io/bbolt"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// corrupt damages topic's journal in the file at path: it flips a byte of
// its default subscription's second message, adds a message under a key
// of the wrong length, and a value where a subscription's bucket belongs.
func corrupt(t *testing.T, path, topic string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(queuesBucket).Bucket([]byte(topic))
		sb := tb.Bucket([]byte(topic))
		k, v := sb.Cursor().Seek(seqKey(2))
		bad := append([]byte(nil), v...)
		bad[len(bad)/2] ^= 0xff
		if err := sb.Put(k, bad); err != nil {
			return err
		}
		if err := sb.Put([]byte("short"), v); err != nil {
			return err
		}
		return tb.Put([]byte("stray"), []byte("value"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// withChecksum returns payload with its record checksum appended.
func withChecksum(payload []byte) []byte {
	b := append([]byte(nil), payload...)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}
