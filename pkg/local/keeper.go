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

// keeperFile holds local mode's secrets key under the data dir.
const keeperFile = "secrets.key"

// keeperURL returns the base64key:// URL of local mode's secrets keeper: the
// key in dataDir/secrets.key, made (readable by its owner only) on the first
// start. Without a data dir the key is random and lives as long as the
// process, like the rest of its state.
func keeperURL(dataDir string) (string, error) {
	if dataDir == "" {
		return "base64key://", nil
	}
	path := filepath.Join(dataDir, keeperFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand.Read never fails
		b = []byte(base64.URLEncoding.EncodeToString(key))
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return "", fmt.Errorf("write secrets key: %w", err)
		}
	} else if err != nil {
		return "", fmt.Errorf("read secrets key: %w", err)
	}
	return "base64key://" + strings.TrimSpace(string(b)), nil
}
