package boltfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrLocked is the error of Open when another process holds the file.
var ErrLocked = errors.New("locked by another process (another Herald on the same data dir?)")

// A File is a bbolt file open in this process, shared by everything in it
// that opens the same path: bbolt's lock is an flock on the file, so a
// second bolt.Open of a path the process holds already would wait for ever.
// Its writers share one Committer, so the writes of every user of the file
// (docstore collections, queue journals) share commits and fsyncs.
type File struct {
	Path string // absolute
	DB   *bolt.DB
	*Committer

	refs int // guarded by files.mu
}

// files holds the files open in this process by absolute path. It is
// package state because the lock it stands for belongs to the process.
var files = struct {
	mu sync.Mutex
	m  map[string]*File
}{m: map[string]*File{}}

// Open opens the bbolt file at path, created with mode 0600 if missing, or
// shares the one this process has open already; call Release when done. A
// file is Checked before bbolt maps it. While another process holds the
// file, Open waits up to timeout, then fails with ErrLocked.
//
// Files are opened as etcd opens them: the freelist is not written on every
// commit (fewer pages per fsync; opening rebuilds it by scanning the file,
// which stays crash-safe) and kept as a map (fast with many free pages).
// Commits still fsync (NoSync is false).
func Open(path string, timeout time.Duration) (*File, error) {
	if path == "" {
		return nil, errors.New("empty file path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("file %q: %w", path, err)
	}
	files.mu.Lock()
	defer files.mu.Unlock()
	if f := files.m[abs]; f != nil {
		f.refs++
		return f, nil
	}
	if err := Check(abs); err != nil {
		return nil, err
	}
	db, err := bolt.Open(abs, 0o600, &bolt.Options{Timeout: timeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%s is %w", abs, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	f := &File{Path: abs, DB: db, Committer: NewCommitter(db), refs: 1}
	files.m[abs] = f
	return f, nil
}

// Release drops one reference to f, taken by Open; the last closes the
// file.
func (f *File) Release() error {
	files.mu.Lock()
	defer files.mu.Unlock()
	if f.refs--; f.refs > 0 {
		return nil
	}
	delete(files.m, f.Path)
	if err := f.DB.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Path, err)
	}
	return nil
}

// IsOpen reports whether this process has the file at path open.
func IsOpen(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	files.mu.Lock()
	defer files.mu.Unlock()
	return files.m[abs] != nil
}
