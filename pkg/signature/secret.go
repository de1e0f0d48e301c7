// Package signature signs deliveries as receivers verify them: Standard
// Webhooks v1 signatures (webhook-id, webhook-timestamp, webhook-signature) and
// a hex HMAC of the body under the deployment's header prefix — GitHub-style
// "sha256=<hex>" keyed with the secret's decoded bytes by default, or bare hex
// keyed with the secret's text, or none (HexMode).
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

// Secret is a signing secret opened for signing: its text and the HMAC key
// it stands for.
type Secret struct {
	// Text is the secret as the API showed it ("whsec_…"): the hex
	// header's key in HexPlain mode.
	Text string
	// Key is the HMAC key Text stands for (see Key): the Standard Webhooks
	// signatures' key, and the hex header's in HexSHA256 mode.
	Key []byte
}

// ParseSecret returns text with the key it stands for, or ErrBadSecret.
func ParseSecret(text string) (Secret, error) {
	key, err := Key(text)
	if err != nil {
		return Secret{}, err
	}
	return Secret{Text: text, Key: key}, nil
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
