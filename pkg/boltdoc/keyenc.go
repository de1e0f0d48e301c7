package boltdoc

import (
	"encoding/binary"
	"math"
	"time"
)

// Index and primary keys use an order-preserving encoding of field values:
// comparing two encodings with bytes.Compare orders them as docstore's
// comparisons do, and no encoding is a prefix of another, so several values
// can be concatenated into one key.
//
// Each value starts with a type byte, so values order first by type:
//
//	missing or nil < bool < number < string < time < []byte < list or map
//
// A document without an indexed field is still in the index, under
// keyMissing; it sorts first in ascending order and last in descending order.
// Lists and maps are indexed as keyOther, in no particular order among
// themselves. Queries never match across types, so ranges stay within one.
const (
	keyMissing byte = 0x01
	keyBool    byte = 0x02
	keyNumber  byte = 0x03
	keyString  byte = 0x04
	keyTime    byte = 0x05
	keyBytes   byte = 0x06
	keyOther   byte = 0x07
)

// keyType returns the type byte of an encoded (tree) value.
func keyType(v any) byte {
	switch v.(type) {
	case nil:
		return keyMissing
	case bool:
		return keyBool
	case int64, float64:
		return keyNumber
	case string:
		return keyString
	case time.Time:
		return keyTime
	case []byte:
		return keyBytes
	default:
		return keyOther
	}
}

// appendKey appends the order-preserving encoding of an encoded value.
func appendKey(b []byte, v any) []byte {
	b = append(b, keyType(v))
	switch v := v.(type) {
	case bool:
		if v {
			return append(b, 1)
		}
		return append(b, 0)
	case int64:
		f, rest := splitInt(v)
		return binary.BigEndian.AppendUint16(appendFloat(b, f), rest)
	case float64:
		return binary.BigEndian.AppendUint16(appendFloat(b, v), 0)
	case string:
		return appendEscaped(b, v)
	case []byte:
		return appendEscaped(b, string(v))
	case time.Time:
		b = binary.BigEndian.AppendUint64(b, uint64(v.Unix())^1<<63)
		return binary.BigEndian.AppendUint32(b, uint32(v.Nanosecond()))
	}
	return b
}

// Numbers: int64 and float64 compare by mathematical value, as docstore's
// filters do. A number is encoded as (f, rest): f the largest float64 not
// above it, rest the integer remainder (always under 2048, since float64s
// above 2^53 are 2^11 apart at most below 2^64). A float is (f, 0). Ordering
// the pairs orders the numbers exactly, with no rounding between an int64 and
// a nearby float64.
func splitInt(i int64) (float64, uint16) {
	f := float64(i) // rounds to nearest
	if f >= math.MaxInt64 || int64(f) > i {
		f = math.Nextafter(f, math.Inf(-1))
	}
	return f, uint16(i - int64(f))
}

func appendFloat(b []byte, f float64) []byte {
	if f == 0 {
		f = 0 // -0 sorts with +0
	}
	u := math.Float64bits(f)
	if u&(1<<63) != 0 {
		u = ^u
	} else {
		u |= 1 << 63
	}
	return binary.BigEndian.AppendUint64(b, u)
}

// appendEscaped appends s with 0x00 escaped as 0x00 0xFF and a 0x00 0x01
// terminator, which keeps byte order and makes the encoding prefix-free.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, s[i])
		if s[i] == 0 {
			b = append(b, 0xFF)
		}
	}
	return append(b, 0x00, 0x01)
}

// successor returns the smallest key greater than every key that has prefix p,
// or nil when there is none (p is empty or all 0xFF).
func successor(p []byte) []byte {
	s := append([]byte(nil), p...)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] != 0xFF {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}
