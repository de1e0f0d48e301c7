package boltdoc

import (
	"fmt"
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// lockTimeout bounds the wait for another process's lock on a file.
const lockTimeout = 5 * time.Second

// openShared opens (or shares) the bbolt file at path (see boltfile.Open:
// one *bolt.DB and one group committer per file in the process, also shared
// with memq journals on the same file). release drops this opener's
// reference; calling it more than once is a no-op.
func openShared(path string) (f *boltfile.File, release func() error, err error) {
	if f, err = boltfile.Open(path, lockTimeout); err != nil {
		return nil, nil, fmt.Errorf("boltdoc: %w", err)
	}
	var once sync.Once
	release = func() error {
		var err error
		once.Do(func() {
			if err = f.Release(); err != nil {
				err = fmt.Errorf("boltdoc: %w", err)
			}
		})
		return err
	}
	return f, release, nil
}
