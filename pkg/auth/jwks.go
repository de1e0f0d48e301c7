package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Refresh limits of the external JWKS. The cache refreshes on its own
// (within the interval bounds, as the provider's Cache-Control allows); a
// token whose kid is not in the set forces a refresh, at most once per
// forcedRefreshEvery, so a key rotation at the provider is picked up at once
// without letting callers hammer it.
const (
	jwksMinInterval    = 5 * time.Minute
	jwksMaxInterval    = time.Hour
	forcedRefreshEvery = 30 * time.Second
)

// keySource is the external provider's JWKS, cached and refreshed.
type keySource struct {
	url   string
	cache *jwk.Cache
	now   func() time.Time
	wait  time.Duration

	mu          sync.Mutex
	lastRefresh time.Time
}

func newKeySource(cfg Config) (*keySource, error) {
	client := httprc.NewClient(httprc.WithWhitelist(httprc.WhitelistFunc(func(u string) bool {
		return u == cfg.JWKSURL
	})))
	cache, err := jwk.NewCache(context.Background(), client)
	if err != nil {
		return nil, fmt.Errorf("auth: start JWKS cache: %w", err)
	}
	// Do not wait for the first fetch: the admin API starts even when the
	// provider is down, and tokens are checked once it answers.
	err = cache.Register(context.Background(), cfg.JWKSURL,
		jwk.WithHTTPClient(cfg.HTTPClient), jwk.WithWaitReady(false),
		jwk.WithHttprcResourceOption(httprc.WithMinInterval(jwksMinInterval)),
		jwk.WithHttprcResourceOption(httprc.WithMaxInterval(jwksMaxInterval)))
	if err != nil {
		_ = cache.Shutdown(context.Background())
		return nil, fmt.Errorf("auth: register JWKS: %w", err)
	}
	wait := cfg.HTTPClient.Timeout
	if wait <= 0 {
		wait = defaultHTTPTimeout
	}
	return &keySource{url: cfg.JWKSURL, cache: cache, now: cfg.Now, wait: wait}, nil
}

// set returns the current key set, waiting (a bounded time) for the first
// fetch.
func (k *keySource) set(ctx context.Context) (jwk.Set, error) {
	r, err := k.cache.LookupResource(ctx, k.url)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	}
	ctx, cancel := context.WithTimeout(ctx, k.wait)
	defer cancel()
	if err := r.Ready(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	}
	return r.Resource(), nil
}

// refresh fetches the set anew unless that was done within
// forcedRefreshEvery. It reports whether it fetched.
func (k *keySource) refresh(ctx context.Context) bool {
	k.mu.Lock()
	now := k.now()
	// A clock that went back (now before lastRefresh) does not block.
	if !k.lastRefresh.IsZero() && !now.Before(k.lastRefresh) && now.Sub(k.lastRefresh) < forcedRefreshEvery {
		k.mu.Unlock()
		return false
	}
	k.lastRefresh = now
	k.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, k.wait)
	defer cancel()
	_, err := k.cache.Refresh(ctx, k.url)
	return err == nil
}

func (k *keySource) close() error { return k.cache.Shutdown(context.Background()) }

// jwksProvider hands jws the one key of the set a token names (by kid, or
// the only key of a one-key set) with the token's algorithm, and only when
// that key allows it: the key's own "alg", or else the algorithms of its
// key type. Symmetric keys are never used, so a token signed with HS256
// over a public key's bytes cannot verify; "none" is no key's algorithm.
type jwksProvider struct {
	ctx context.Context
	src *keySource
	// unavailable is set when the set could not be fetched.
	unavailable error
}

var errNoKey = errors.New("auth: no acceptable key for this token")

func (p *jwksProvider) FetchKeys(_ context.Context, sink jws.KeySink, sig *jws.Signature, _ *jws.Message) error {
	set, err := p.src.set(p.ctx)
	if err != nil {
		p.unavailable = err
		return err
	}
	kid, _ := sig.ProtectedHeaders().KeyID()
	key, ok := pickKey(set, kid)
	if !ok && kid != "" && p.src.refresh(p.ctx) {
		if set, err = p.src.set(p.ctx); err == nil {
			key, ok = pickKey(set, kid)
		}
	}
	alg, hasAlg := sig.ProtectedHeaders().Algorithm()
	if !ok || !hasAlg || !slices.Contains(allowedAlgorithms(key), alg) {
		return errNoKey
	}
	sink.Key(alg, key)
	return nil
}

// pickKey returns the key kid names, or the only key of a one-key set for
// a token without kid.
func pickKey(set jwk.Set, kid string) (jwk.Key, bool) {
	if kid != "" {
		return set.LookupKeyID(kid)
	}
	if set.Len() != 1 {
		return nil, false
	}
	return set.Key(0)
}

// allowedAlgorithms lists the signature algorithms key may verify.
func allowedAlgorithms(key jwk.Key) []jwa.SignatureAlgorithm {
	if use, ok := key.KeyUsage(); ok && use != "" && use != jwk.ForSignature.String() {
		return nil
	}
	var byType []jwa.SignatureAlgorithm
	switch key.KeyType() {
	case jwa.RSA():
		byType = []jwa.SignatureAlgorithm{jwa.RS256(), jwa.RS384(), jwa.RS512(), jwa.PS256(), jwa.PS384(), jwa.PS512()}
	case jwa.EC():
		byType = []jwa.SignatureAlgorithm{jwa.ES256(), jwa.ES384(), jwa.ES512()}
	case jwa.OKP():
		byType = []jwa.SignatureAlgorithm{jwa.EdDSA(), jwa.EdDSAEd25519()}
	default:
		return nil // symmetric and unknown key types
	}
	if alg, ok := key.Algorithm(); ok {
		sa, known := jwa.LookupSignatureAlgorithm(alg.String())
		if !known || !slices.Contains(byType, sa) {
			return nil
		}
		return []jwa.SignatureAlgorithm{sa}
	}
	return byType
}
