package memq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"time"
)

// A journal record is one message as the journal stores it, in one value
// of a subscription's bucket:
//
//	version    1 byte, recordVersion
//	due        8 bytes big-endian Unix seconds, then 4 bytes nanoseconds
//	body       uvarint length, bytes
//	metadata   uvarint count, then per pair: uvarint length, key, uvarint length, value
//	checksum   4 bytes big-endian CRC-32C of everything before it
//
// The checksum catches a value damaged on disk, which bbolt (it checksums
// its pages' structure, not their contents) would hand back as is.
const recordVersion = 1

// recordHeaderLen is the length of version and due.
const recordHeaderLen = 1 + 8 + 4

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// record is a decoded journal record.
type record struct {
	body     []byte
	metadata map[string]string
	due      time.Time
}

// encodeRecord returns the journal record of a message due at due.
func encodeRecord(body []byte, metadata map[string]string, due time.Time) []byte {
	n := recordHeaderLen + 2*binary.MaxVarintLen64 + len(body) + 4
	for k, v := range metadata {
		n += 2*binary.MaxVarintLen64 + len(k) + len(v)
	}
	b := make([]byte, 0, n)
	b = append(b, recordVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(due.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(due.Nanosecond()))
	b = binary.AppendUvarint(b, uint64(len(body)))
	b = append(b, body...)
	b = binary.AppendUvarint(b, uint64(len(metadata)))
	for k, v := range metadata {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// errCorruptRecord is the error of a journal value that is not a record.
var errCorruptRecord = errors.New("memq: corrupt journal record")

// decodeRecord decodes a journal record. It copies what it keeps: b may be
// memory bbolt reuses once its transaction ends. It never panics: anything
// that is not a well-formed record is errCorruptRecord.
func decodeRecord(b []byte) (record, error) {
	if len(b) < recordHeaderLen+4 {
		return record{}, fmt.Errorf("%w: %d bytes", errCorruptRecord, len(b))
	}
	payload, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(payload, crcTable) != sum {
		return record{}, fmt.Errorf("%w: checksum mismatch", errCorruptRecord)
	}
	if payload[0] != recordVersion {
		return record{}, fmt.Errorf("%w: version %d", errCorruptRecord, payload[0])
	}
	sec := int64(binary.BigEndian.Uint64(payload[1:9]))
	nsec := binary.BigEndian.Uint32(payload[9:13])
	if nsec >= 1e9 {
		return record{}, fmt.Errorf("%w: nanoseconds %d", errCorruptRecord, nsec)
	}
	r := recordReader{b: payload[recordHeaderLen:]}
	rec := record{due: time.Unix(sec, int64(nsec)), body: r.bytes()}
	if n := r.uvarint(); n > 0 && r.err == nil {
		if n > uint64(len(r.b))/2 { // each pair takes two length bytes at least
			return record{}, fmt.Errorf("%w: %d metadata pairs in %d bytes", errCorruptRecord, n, len(r.b))
		}
		rec.metadata = make(map[string]string, n)
		for range n {
			k, v := r.bytes(), r.bytes()
			rec.metadata[string(k)] = string(v)
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return record{}, fmt.Errorf("%w: %v", errCorruptRecord, r.err)
	}
	return rec, nil
}

// recordReader reads lengths and length-prefixed bytes, keeping the first
// error and reading nothing after it.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("bad length")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes returns a copy of the next length-prefixed bytes.
func (r *recordReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("length %d past the end", n)
		return nil
	}
	v := make([]byte, n)
	copy(v, r.b)
	r.b = r.b[n:]
	return v
}
