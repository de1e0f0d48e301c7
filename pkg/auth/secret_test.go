package auth_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/auth"
)

func TestHashSecretFormatAndVerify(t *testing.T) {
	t.Parallel()
	secret := auth.NewSecret()
	if !strings.HasPrefix(secret, "hcs_") || len(secret) != len("hcs_")+43 {
		t.Fatalf("secret %q", secret)
	}
	hash, err := auth.HashSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, secret) {
		t.Fatalf("hash %q", hash)
	}
	other, _ := auth.HashSecret(secret)
	if other == hash {
		t.Fatal("two hashes of one secret are equal: no salt")
	}
	if !auth.VerifySecret(hash, secret) || auth.VerifySecret(hash, secret+"x") || auth.VerifySecret(hash, "") {
		t.Fatal("verify")
	}
}

func TestVerifySecretRefusesMalformedHashes(t *testing.T) {
	t.Parallel()
	secret := auth.NewSecret()
	hash, _ := auth.HashSecret(secret)
	parts := strings.Split(hash, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"argon2i":      strings.Replace(hash, "argon2id", "argon2i", 1),
		"huge memory":  strings.Replace(hash, "m=19456", "m=99999999", 1),
		"zero time":    strings.Replace(hash, "t=2", "t=0", 1),
		"bad salt":     strings.Join(append(parts[:4:4], "!!!", parts[5]), "$"),
		"missing part": strings.Join(parts[:5], "$"),
	} {
		if auth.VerifySecret(h, secret) {
			t.Errorf("%s: verified", name)
		}
	}
}
