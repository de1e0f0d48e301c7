package boltfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/heraldhq/herald/pkg/boltfile"
)

// newFile makes a bbolt file of a few hundred KiB.
func newFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "herald.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("docs"))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := b.Put(fmt.Appendf(nil, "key-%05d", i), make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckAcceptsWholeAndAbsentFiles(t *testing.T) {
	if err := boltfile.Check(newFile(t)); err != nil {
		t.Errorf("a whole file: %v", err)
	}
	if err := boltfile.Check(filepath.Join(t.TempDir(), "none.db")); err != nil {
		t.Errorf("an absent file: %v", err)
	}
}

func TestCheckRefusesDamagedFiles(t *testing.T) {
	for name, damage := range map[string]func(path string) error{
		"cut to a third": func(path string) error {
			info, err := os.Stat(path)
			if err != nil {
				return err
			}
			return os.Truncate(path, info.Size()/3)
		},
		"cut inside the meta pages": func(path string) error { return os.Truncate(path, 100) },
		"not a bbolt file": func(path string) error {
			return os.WriteFile(path, []byte(strings.Repeat("x", 8192)), 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := newFile(t)
			if err := damage(path); err != nil {
				t.Fatal(err)
			}
			err := boltfile.Check(path)
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("Check = %v, want an error naming %s", err, path)
			}
		})
	}
}

// Opening a path the process has open shares the file (bbolt's flock would
// make a second bolt.Open wait for ever); the last Release closes it.
func TestOpenSharesTheFileUntilTheLastRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := boltfile.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b, err := boltfile.Open(filepath.Join(filepath.Dir(path), ".", "shared.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a.DB != b.DB || a.Committer != b.Committer {
		t.Fatal("two opens of one path got two files")
	}
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	if !boltfile.IsOpen(path) {
		t.Fatal("closed while an opener still holds it")
	}
	if err := b.Do(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists([]byte("x")); return err }); err != nil {
		t.Fatalf("write through the opener still holding it: %v", err)
	}
	if err := b.Release(); err != nil {
		t.Fatal(err)
	}
	if boltfile.IsOpen(path) {
		t.Fatal("still open after the last Release")
	}
}
