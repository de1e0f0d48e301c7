package adminfn

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "gocloud.dev/runtimevar/filevar"

	"github.com/heraldhq/herald/pkg/config"
)

// TestReadSecrets: the admin token and the signing key are read from their
// URLs, replacing what the environment held; an unreadable secret fails
// without showing its URL's path.
func TestReadSecrets(t *testing.T) { // not parallel: sets secretReadTimeout
	dir := t.TempDir()
	write := func(name, v string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file://" + filepath.ToSlash(p) + "?decoder=string"
	}
	c := config.Config{AdminToken: "from-env",
		AdminTokenURL:      write("token", "t0ken-from-the-secret-store-0123456789\n"),
		TokenSigningKeyURL: write("key", "k3y-from-the-secret-store-0123456789")}
	if err := ReadSecrets(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	if c.AdminToken != "t0ken-from-the-secret-store-0123456789" || c.TokenSigningKey != "k3y-from-the-secret-store-0123456789" {
		t.Fatalf("read %q, %q", c.AdminToken, c.TokenSigningKey)
	}

	secretReadTimeout = 200 * time.Millisecond
	c = config.Config{AdminTokenURL: "file://" + filepath.ToSlash(filepath.Join(dir, "missing-secret")) + "?decoder=string"}
	err := ReadSecrets(context.Background(), &c)
	if err == nil || !strings.Contains(err.Error(), "HERALD_ADMIN_TOKEN_URL") || !strings.Contains(err.Error(), "NotFound") ||
		strings.Contains(err.Error(), "missing-secret") {
		t.Fatalf("err = %v, want one naming the variable and not the path", err)
	}
}
