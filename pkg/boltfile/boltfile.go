// Package boltfile opens bbolt files shared by everything in a process that
// uses them, with one group committer per file (Open, Committer), and checks
// a file before bbolt maps it (Check).
//
// bbolt trusts the file it maps: one cut short (a full disk, a bad copy)
// makes it fault while opening, a crash of the whole process that no recover
// can catch. Check reads the file's two meta pages and refuses a file
// shorter than the pages they say it has, so the caller can say which file
// is damaged instead.
package boltfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk layout (go.etcd.io/bbolt/internal/common): a page starts
// with a 16-byte header; pages 0 and 1 each hold a meta after it.
const (
	pageHeader  = 16
	metaSize    = 56 // magic … txid; the checksum follows
	magic       = 0xED0CDAED
	offPageSize = 8  // within the meta
	offPgid     = 40 // the high-water page id
	offTxid     = 48
	minPageSize = 1024
)

// Check returns nil when path does not exist or looks whole, and an error
// naming the file and the problem otherwise.
func Check(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return nil // bbolt initialises an empty file
	}
	// bbolt uses whichever of the two metas is valid and newer; the second
	// sits one page in (the OS page size when the first cannot say).
	m0, err0 := readMeta(f, 0)
	second := int64(os.Getpagesize())
	if err0 == nil {
		second = int64(m0.pageSize)
	}
	m1, err1 := readMeta(f, second)
	var m meta
	switch {
	case err0 != nil && err1 != nil:
		return fmt.Errorf("%s is damaged (%v): restore it from a backup", path, err0)
	case err0 != nil, err1 == nil && m1.txid > m0.txid:
		m = m1
	default:
		m = m0
	}
	if need := int64(m.pgid) * int64(m.pageSize); info.Size() < need {
		return fmt.Errorf("%s is cut short: %d bytes, its pages need %d; restore it from a backup", path, info.Size(), need)
	}
	return nil
}

type meta struct {
	pageSize uint32
	pgid     uint64
	txid     uint64
}

// readMeta reads and checks the meta of the page at off.
func readMeta(r io.ReaderAt, off int64) (meta, error) {
	b := make([]byte, pageHeader+metaSize+8)
	if _, err := r.ReadAt(b, off); err != nil {
		return meta{}, fmt.Errorf("meta page at %d: %w", off, err)
	}
	m := b[pageHeader:]
	le := binary.LittleEndian
	if le.Uint32(m) != magic {
		return meta{}, fmt.Errorf("meta page at %d: not a bbolt meta page", off)
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:metaSize])
	if h.Sum64() != le.Uint64(m[metaSize:]) {
		return meta{}, fmt.Errorf("meta page at %d: checksum mismatch", off)
	}
	out := meta{pageSize: le.Uint32(m[offPageSize:]), pgid: le.Uint64(m[offPgid:]), txid: le.Uint64(m[offTxid:])}
	if out.pageSize < minPageSize || out.pageSize&(out.pageSize-1) != 0 {
		return meta{}, fmt.Errorf("meta page at %d: page size %d", off, out.pageSize)
	}
	return out, nil
}
