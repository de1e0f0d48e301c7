package boltdoc

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// lockTimeout bounds the wait for another process's lock on a file.
const lockTimeout = 5 * time.Second

// openOptions open files as etcd does: the freelist is not written on every
// commit (fewer pages per fsync; opening rebuilds it by scanning the file,
// which stays crash-safe) and kept as a map (fast with many free pages).
// Commits still fsync (NoSync is false).
func openOptions() *bolt.Options {
	return &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType}
}

// files holds the bbolt files this process has open by path. It is package
// state because bbolt's lock is an flock on the file: a second bolt.Open of
// the same path in one process would wait on the first, so every opener in
// the process must share one *bolt.DB.
var files = struct {
	mu sync.Mutex
	m  map[string]*sharedFile
}{m: map[string]*sharedFile{}}

type sharedFile struct {
	db      *bolt.DB
	commits *committer
	refs    int
}

// openShared opens (or shares) the bbolt file at path. release closes it
// once every opener has released it; calling it more than once is a no-op.
func openShared(path string) (f *sharedFile, release func() error, err error) {
	if path == "" {
		return nil, nil, fmt.Errorf("boltdoc: empty file path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("boltdoc: file %q: %w", path, err)
	}
	files.mu.Lock()
	defer files.mu.Unlock()
	f = files.m[abs]
	if f == nil {
		if err := boltfile.Check(abs); err != nil {
			return nil, nil, fmt.Errorf("boltdoc: %w", err)
		}
		db, err := bolt.Open(abs, 0o600, openOptions())
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, nil, fmt.Errorf("boltdoc: %s is locked by another process (another Herald on the same data dir?)", abs)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("boltdoc: open %s: %w", abs, err)
		}
		f = &sharedFile{db: db, commits: &committer{db: db}}
		files.m[abs] = f
	}
	f.refs++
	var once sync.Once
	release = func() error {
		var err error
		once.Do(func() { err = releaseShared(abs, f) })
		return err
	}
	return f, release, nil
}

func releaseShared(abs string, f *sharedFile) error {
	files.mu.Lock()
	defer files.mu.Unlock()
	f.refs--
	if f.refs > 0 {
		return nil
	}
	delete(files.m, abs)
	if err := f.db.Close(); err != nil {
		return fmt.Errorf("boltdoc: close %s: %w", abs, err)
	}
	return nil
}
