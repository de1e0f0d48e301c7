package seal

import (
	"context"
	"strings"
	"testing"

	"gocloud.dev/secrets/localsecrets"
)

func TestSealOpenRoundTripWithAnotherSealer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	key, err := localsecrets.NewRandomKey()
	if err != nil {
		t.Fatal(err)
	}
	a, b := New(localsecrets.NewKeeper(key)), New(localsecrets.NewKeeper(key))
	const plain = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	sealed, err := a.Seal(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, plain) || strings.Contains(sealed, "MfKQ9r8G") {
		t.Fatalf("sealed form %q shows the secret", sealed)
	}
	// b has never seen it: it must decrypt with the keeper.
	if got, err := b.Open(ctx, sealed); err != nil || got != plain {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := localsecrets.NewRandomKey()
	if _, err := New(localsecrets.NewKeeper(other)).Open(ctx, sealed); err == nil {
		t.Fatal("opened with the wrong key")
	}
	if _, err := b.Open(ctx, plain); err != ErrNotSealed {
		t.Fatalf("Open(plain) = %v, want ErrNotSealed", err)
	}
}
