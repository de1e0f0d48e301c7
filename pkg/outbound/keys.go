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
// errors of SigningSecrets are the keeper's, and worth trying again.
var ErrSecretUnusable = errors.New("signing secret unusable")

// SigningSecrets opens the secrets w's deliveries are signed with at now,
// each with its text (as the API showed it) and HMAC key: the current
// secret, then the previous one while its grace period lasts. A secret
// stored in the clear by a release before secrets were sealed ("whsec_…") is
// still used, until a rotation seals its successor.
func SigningSecrets(ctx context.Context, s *seal.Sealer, w *herald.Webhook, now time.Time) ([]signature.Secret, error) {
	return SigningSecretsCached(ctx, s, nil, w, now)
}

// SigningSecretsCached is SigningSecrets with the secrets already opened
// held in opened (which may be nil).
func SigningSecretsCached(ctx context.Context, s *seal.Sealer, opened *cache.Bounded[string, signature.Secret], w *herald.Webhook, now time.Time) ([]signature.Secret, error) {
	stored := []string{w.SealedSecret}
	if w.PreviousSealedSecret != "" && herald.Millis(now) < w.PreviousSecretUntilMS {
		stored = append(stored, w.PreviousSealedSecret)
	}
	secrets := make([]signature.Secret, 0, len(stored))
	for _, sv := range stored {
		if sec, ok := opened.Get(sv); ok {
			secrets = append(secrets, sec)
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
		sec, err := signature.ParseSecret(secret)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSecretUnusable, err)
		}
		opened.Add(sv, sec)
		secrets = append(secrets, sec)
	}
	return secrets, nil
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
