package outbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
)

// ErrSecretUnusable marks a stored signing secret that can never be used:
// not sealed with this deployment's keeper, or not a valid secret. Other
// errors of SigningKeys are the keeper's, and worth trying again.
var ErrSecretUnusable = errors.New("signing secret unusable")

// SigningKeys opens the HMAC keys w's deliveries are signed with at now: the
// current secret's, then the previous secret's while its grace period lasts.
// A secret stored in the clear by a release before secrets were sealed
// ("whsec_…") is still used, until a rotation seals its successor.
func SigningKeys(ctx context.Context, s *seal.Sealer, w *herald.Webhook, now time.Time) ([][]byte, error) {
	return SigningKeysCached(ctx, s, nil, w, now)
}

// SigningKeysCached is SigningKeys with the keys already opened held in opened
// (which may be nil).
func SigningKeysCached(ctx context.Context, s *seal.Sealer, opened *cache.Bounded[string, []byte], w *herald.Webhook, now time.Time) ([][]byte, error) {
	stored := []string{w.SealedSecret}
	if w.PreviousSealedSecret != "" && herald.Millis(now) < w.PreviousSecretUntilMS {
		stored = append(stored, w.PreviousSealedSecret)
	}
	keys := make([][]byte, 0, len(stored))
	for _, sv := range stored {
		if key, ok := opened.Get(sv); ok {
			keys = append(keys, key)
			continue
		}
		secret := sv
		if !strings.HasPrefix(sv, signature.SecretPrefix) {
			var err error
			if secret, err = s.Open(ctx, sv); err != nil && !keeperMayRecover(err) {
				return nil, fmt.Errorf("%w: %w", ErrSecretUnusable, err)
			} else if err != nil {
				return nil, err
			}
		}
		key, err := signature.Key(secret)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSecretUnusable, err)
		}
		opened.Add(sv, key)
		keys = append(keys, key)
	}
	return keys, nil
}

// keeperMayRecover reports whether a keeper's failure to open a secret may
// pass: anything but a value no keeper will ever open (not sealed, a
// ciphertext the key refuses, a key that is gone). An outage or throttling
// of KMS shows as Unknown, Internal or ResourceExhausted: retried, it costs
// no attempt; a deployment that lost its key holds its deliveries until the
// key is back.
func keeperMayRecover(err error) bool {
	if errors.Is(err, seal.ErrNotSealed) {
		return false
	}
	switch gcerrors.Code(err) {
	case gcerrors.InvalidArgument, gcerrors.NotFound:
		return false
	}
	return true
}
