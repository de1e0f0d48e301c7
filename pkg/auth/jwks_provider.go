package auth

import (
	"context"
	"errors"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

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
