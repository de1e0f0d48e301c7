package local

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestDataKeyIsMadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	// Concurrent first starts agree on one key.
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			var err error
			if keys[i], err = dataKey(dir, secretsKeyFile); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatalf("concurrent starts got different keys: %q", keys)
		}
	}
	info, err := os.Stat(filepath.Join(dir, secretsKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", info, err)
	}
	if again, err := dataKey(dir, secretsKeyFile); err != nil || again != keys[0] {
		t.Errorf("second start: %q, %v; want the first key", again, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// A key file that is there but empty (a crash while an older release wrote
// it) or damaged stops the start: a fresh key would open none of the secrets
// sealed with the old one.
func TestDataKeyRefusesADamagedFile(t *testing.T) {
	for name, content := range map[string]string{"empty": "", "blank": "\n", "not base64": "not a key!",
		"short": "c2hvcnQ="} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, secretsKeyFile)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := dataKey(dir, secretsKeyFile)
			if err == nil || !strings.Contains(err.Error(), "empty or damaged") {
				t.Fatalf("dataKey = %v, want a refusal", err)
			}
			if b, _ := os.ReadFile(path); string(b) != content {
				t.Errorf("the damaged file was replaced: %q", b)
			}
		})
	}
}
