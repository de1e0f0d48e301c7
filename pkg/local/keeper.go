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

// dataKey reads the key in dataDir/name, making it when absent.
func dataKey(dataDir, name string) (string, error) {
	path := filepath.Join(dataDir, name)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := newKey()
		if err := os.WriteFile(path, []byte(key), 0o600); err != nil {
			return "", fmt.Errorf("write %s: %w", name, err)
		}
		return key, nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// newKey returns 32 random bytes in URL-safe base64 (what base64key:// wants).
func newKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return base64.URLEncoding.EncodeToString(key)
}
