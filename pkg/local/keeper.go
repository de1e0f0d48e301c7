package local

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Keys local mode keeps under its data dir, each readable by its owner only.
const (
	secretsKeyFile   = "secrets.key" // encrypts signing secrets at rest
	tokenSigningFile = "token.key"   // signs the tokens /oauth/token issues
)

// keeperURL returns the base64key:// URL of local mode's secrets keeper: the
// key in dataDir/secrets.key, made on the first start. Without a data dir
// the key is random and lives as long as the process, like the rest of its
// state.
func keeperURL(dataDir string) (string, error) {
	if dataDir == "" {
		return "base64key://", nil
	}
	key, err := dataKey(dataDir, secretsKeyFile)
	return "base64key://" + key, err
}

// tokenSigningKey returns local mode's token signing key, from
// dataDir/token.key (made on the first start), so tokens outlive a restart
// and never depend on how strong the admin token is.
func tokenSigningKey(dataDir string) (string, error) {
	if dataDir == "" {
		return newKey(), nil
	}
	return dataKey(dataDir, tokenSigningFile)
}

// dataKey reads the key in dataDir/name, making it when absent. The store
// holds values sealed with the key, so a key file that is there but empty or
// damaged stops the start: a fresh key would open none of them.
func dataKey(dataDir, name string) (string, error) {
	path := filepath.Join(dataDir, name)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := writeNewKey(dataDir, name); err != nil {
			return "", err
		}
		b, err = os.ReadFile(path) // ours, or the one a concurrent start made first
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	key := strings.TrimSpace(string(b))
	if raw, err := base64.URLEncoding.DecodeString(key); err != nil || len(raw) != 32 {
		return "", fmt.Errorf("%s is empty or damaged: restore it from the backup taken with herald.db "+
			"(a new key would open none of the secrets stored with the old one)", path)
	}
	return key, nil
}

// writeNewKey puts a new key in dataDir/name so that the file is, even after
// a crash or power loss, either absent or whole: it is written and synced
// under a temporary name, then linked to its name (which fails, leaving the
// other, if a concurrent start made one first), and the directory is synced.
func writeNewKey(dataDir, name string) error {
	tmp, err := os.CreateTemp(dataDir, name+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(newKey())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Link(tmp.Name(), filepath.Join(dataDir, name)); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := syncDir(dataDir); err != nil {
		return fmt.Errorf("sync data dir: %w", err)
	}
	return nil
}

// syncDir makes the entries of directory dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// newKey returns 32 random bytes in URL-safe base64 (what base64key:// wants).
func newKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return base64.URLEncoding.EncodeToString(key)
}
