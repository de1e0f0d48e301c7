package adminfn

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gocloud.dev/gcerrors"
	"gocloud.dev/runtimevar"

	"github.com/heraldhq/herald/pkg/config"
)

// secretReadTimeout bounds the read of each secret at start, well within
// the 10 s a Lambda function's initialisation may take. runtimevar waits for
// a good value until then; the error reported is the last read's.
var secretReadTimeout = 4 * time.Second

// ReadSecrets reads the admin token and the token signing key from the
// runtimevar URLs the configuration names (HERALD_ADMIN_TOKEN_URL,
// HERALD_TOKEN_SIGNING_KEY_URL), into c, so that on AWS neither sits in the
// function's environment, where anyone allowed lambda:GetFunctionConfiguration
// reads it. The program links the drivers of the URLs' schemes. Secrets are
// read once, at start: a rotated value reaches new instances of the
// function.
func ReadSecrets(ctx context.Context, c *config.Config) error {
	for _, s := range []struct {
		name, url string
		dst       *string
	}{
		{"HERALD_ADMIN_TOKEN_URL", c.AdminTokenURL, &c.AdminToken},
		{"HERALD_TOKEN_SIGNING_KEY_URL", c.TokenSigningKeyURL, &c.TokenSigningKey},
	} {
		if s.url == "" {
			continue
		}
		v, err := readSecret(ctx, s.url)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		*s.dst = v
	}
	return nil
}

// readSecret returns the string value of the variable at url. Its errors
// name the URL's scheme and the error's code, never the value.
func readSecret(ctx context.Context, url string) (string, error) {
	scheme, _, _ := strings.Cut(url, "://")
	v, err := runtimevar.OpenVariable(ctx, url)
	if err != nil {
		return "", fmt.Errorf("open %s://…: %v", scheme, gcerrors.Code(err))
	}
	defer v.Close()
	ctx, cancel := context.WithTimeout(ctx, secretReadTimeout)
	defer cancel()
	snap, err := v.Latest(ctx)
	if err != nil {
		if last := v.CheckHealth(); last != nil {
			err = last
		}
		return "", fmt.Errorf("read %s://…: %v", scheme, gcerrors.Code(err))
	}
	s, ok := snap.Value.(string)
	if !ok {
		return "", fmt.Errorf("%s://… is not decoded as a string: add decoder=string to the URL", scheme)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%s://… is empty", scheme)
	}
	return s, nil
}
