// Package seal encrypts secrets at rest with a gocloud secrets keeper
// (base64key:// locally, awskms:// on AWS): webhook signing secrets and custom
// header values are stored sealed and opened only to send a request.
package seal

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gocloud.dev/secrets"
)

// prefix marks a sealed value and the version of its format.
const prefix = "sealed:v1:"

// maxCached bounds how many opened secrets a Sealer keeps in memory.
const maxCached = 4096

// ErrNotSealed is returned by Open for a value that is not a sealed secret.
var ErrNotSealed = errors.New("seal: value is not sealed")

// Sealer seals and opens secrets with a keeper. Opened secrets are cached
// by their sealed form, so a KMS keeper is asked once per secret, not once
// per delivery. A Sealer is safe for concurrent use.
type Sealer struct {
	keeper *secrets.Keeper

	mu     sync.Mutex
	opened map[string]string
}

// New returns a Sealer over keeper, which the caller closes.
func New(keeper *secrets.Keeper) *Sealer {
	return &Sealer{keeper: keeper, opened: map[string]string{}}
}

// Seal encrypts plain and returns its sealed, printable form.
func (s *Sealer) Seal(ctx context.Context, plain string) (string, error) {
	ct, err := s.keeper.Encrypt(ctx, []byte(plain))
	if err != nil {
		return "", fmt.Errorf("seal secret: %w", err)
	}
	sealed := prefix + base64.RawStdEncoding.EncodeToString(ct)
	s.remember(sealed, plain)
	return sealed, nil
}

// IsSealed reports whether v has the form Seal returns (which Open may
// still refuse, for a key that is not this keeper's).
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }

// Open decrypts a value Seal returned.
func (s *Sealer) Open(ctx context.Context, sealed string) (string, error) {
	s.mu.Lock()
	plain, ok := s.opened[sealed]
	s.mu.Unlock()
	if ok {
		return plain, nil
	}
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrNotSealed
	}
	ct, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return "", ErrNotSealed
	}
	pt, err := s.keeper.Decrypt(ctx, ct)
	if err != nil {
		return "", fmt.Errorf("open secret: %w", err)
	}
	s.remember(sealed, string(pt))
	return string(pt), nil
}

func (s *Sealer) remember(sealed, plain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.opened) >= maxCached {
		clear(s.opened)
	}
	s.opened[sealed] = plain
}
