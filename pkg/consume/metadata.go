package consume

import "context"

// metadataKey keys the metadata of the message in hand in a context.
type metadataKey struct{}

// WithMetadata returns ctx carrying the metadata of the message handed to a
// Handler, which reads it with Metadata: the Handler type stays a body-only
// function, and the few handlers that need metadata still get it.
func WithMetadata(ctx context.Context, md map[string]string) context.Context {
	if len(md) == 0 {
		return ctx
	}
	return context.WithValue(ctx, metadataKey{}, md)
}

// Metadata returns the metadata of the message being handled (see
// WithMetadata); nil when it has none.
func Metadata(ctx context.Context) map[string]string {
	md, _ := ctx.Value(metadataKey{}).(map[string]string)
	return md
}
