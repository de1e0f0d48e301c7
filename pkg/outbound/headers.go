package outbound

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldhq/herald/pkg/seal"
)

// ErrHeaderUnusable marks a stored custom header value that can never be
// opened: not sealed with this deployment's keeper. Other errors of
// OpenHeaders are the keeper's, and worth trying again.
var ErrHeaderUnusable = errors.New("custom header unusable")

// OpenHeaders returns a webhook's custom headers as they are sent: each
// sealed value opened with s. A value stored in the clear by a release
// before header values were sealed (one without seal's "sealed:v1:" prefix)
// is sent as it is, until the webhook's headers are written again. A value
// no keeper will ever open fails with ErrHeaderUnusable; other errors are
// the keeper's, and worth trying again.
func OpenHeaders(ctx context.Context, s *seal.Sealer, stored map[string]string) (map[string]string, error) {
	if len(stored) == 0 {
		return stored, nil
	}
	out := make(map[string]string, len(stored))
	for name, v := range stored {
		if !seal.IsSealed(v) {
			out[name] = v
			continue
		}
		plain, err := s.Open(ctx, v)
		if err != nil && !keeperMayRecover(err) {
			return nil, fmt.Errorf("%w: %s: %w", ErrHeaderUnusable, name, err)
		} else if err != nil {
			return nil, fmt.Errorf("open header %s: %w", name, err)
		}
		out[name] = plain
	}
	return out, nil
}
