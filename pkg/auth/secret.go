package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// SecretPrefix starts every client secret.
const SecretPrefix = "hcs_"

// Argon2id parameters of new hashes: the OWASP minimum (19 MiB, two passes,
// one lane). Stored hashes carry their own parameters, so raising these
// later keeps old hashes verifiable.
const (
	argonMemoryKiB = 19456
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds on the parameters of a stored hash, so a corrupt or hostile record
// cannot make a verification allocate gigabytes or spin for minutes.
const (
	maxArgonMemoryKiB = 1 << 20
	maxArgonTime      = 16
	maxArgonThreads   = 16
)

// ErrMalformedHash is returned for a stored hash that is not an argon2id PHC
// string Herald can verify.
var ErrMalformedHash = errors.New("auth: malformed secret hash")

var phc = base64.RawStdEncoding

// NewSecret returns a new client secret: "hcs_" and 32 random bytes in
// unpadded base64url.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return SecretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns a slow, salted argon2id hash of secret in PHC string
// form: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashSecret(secret string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemoryKiB, argonTime, argonThreads, phc.EncodeToString(salt), phc.EncodeToString(key)), nil
}

// VerifySecret reports whether secret matches hash, a string HashSecret
// returned. The comparison is in constant time; a malformed hash matches
// nothing.
func VerifySecret(hash, secret string) bool {
	h, err := parseHash(hash)
	if err != nil {
		return false
	}
	key := argon2.IDKey([]byte(secret), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// argonHash is a parsed PHC string.
type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

func parseHash(s string) (argonHash, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return argonHash{}, ErrMalformedHash
	}
	var h argonHash
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &threads); err != nil || n != 3 {
		return argonHash{}, ErrMalformedHash
	}
	if h.memory == 0 || h.memory > maxArgonMemoryKiB || h.time == 0 || h.time > maxArgonTime ||
		threads == 0 || threads > maxArgonThreads {
		return argonHash{}, ErrMalformedHash
	}
	h.threads = uint8(threads)
	var err1, err2 error
	h.salt, err1 = phc.DecodeString(parts[4])
	h.key, err2 = phc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(h.salt) < 8 || len(h.key) < 16 || len(h.key) > 64 {
		return argonHash{}, ErrMalformedHash
	}
	return h, nil
}
