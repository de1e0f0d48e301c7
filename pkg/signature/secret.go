// Package signature signs deliveries as receivers verify them: Standard
// Webhooks v1 signatures (webhook-id, webhook-timestamp, webhook-signature) and
// a GitHub-style hex HMAC of the body under the deployment's header prefix.
package signature

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// SecretPrefix starts every signing secret (Standard Webhooks).
const SecretPrefix = "whsec_"

// Secret sizes: generated secrets hold 32 random bytes; supplied ones must hold
// between 24 and 64.
const (
	secretBytes    = 32
	minSecretBytes = 24
	maxSecretBytes = 64
)

// ErrBadSecret is returned for a secret that is not "whsec_" followed by the
// base64 of 24 to 64 bytes.
var ErrBadSecret = errors.New(`must be "whsec_" followed by base64 of 24 to 64 bytes`)

// NewSecret returns a new random signing secret.
func NewSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Key returns the HMAC key a secret stands for: the decoded bytes after the
// prefix, as the Standard Webhooks libraries decode it.
func Key(secret string) ([]byte, error) {
	rest, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, ErrBadSecret
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(key) < minSecretBytes || len(key) > maxSecretBytes {
		return nil, ErrBadSecret
	}
	return key, nil
}
