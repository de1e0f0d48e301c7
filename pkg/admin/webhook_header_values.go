package admin

import (
	"context"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/seal"
)

// headerMask is what every read shows in place of a custom header's value:
// the values are receivers' credentials, stored sealed and opened only to
// send. It says nothing of the value, not even its length. Sent back in a
// create or PATCH, it keeps the stored value of the header of that name.
const headerMask = "********"

// maskHeaders returns the names of stored, each with headerMask.
func maskHeaders(stored map[string]string) map[string]string {
	out := make(map[string]string, len(stored))
	for name := range stored {
		out[name] = headerMask
	}
	return out
}

// sealHeaders returns the headers to store for in, the whole map a create or
// PATCH sets: each value sealed with the API's keeper, except a value equal
// to headerMask, which keeps the stored value of the header of that name
// (sealed now if an earlier release stored it in the clear). A masked value
// whose header is no longer stored is left out: checkMasked refuses it
// before, so only a concurrent write that removed the header gets there.
func (a *API) sealHeaders(ctx context.Context, in, stored map[string]string) (map[string]string, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]string, len(in))
	for name, value := range in {
		if value == headerMask {
			kept, ok := storedHeader(stored, name)
			if !ok || seal.IsSealed(kept) {
				if ok {
					out[name] = kept
				}
				continue
			}
			value = kept
		}
		sealed, err := a.cfg.Sealer.Seal(ctx, value)
		if err != nil {
			return nil, err
		}
		out[name] = sealed
	}
	return out, nil
}

// checkMasked adds a problem for each masked value in in that names no
// header in stored (nil on create): there is no value to keep.
func checkMasked(in *map[string]string, stored map[string]string, v *validationError) {
	if in == nil {
		return
	}
	for name, value := range *in {
		if _, ok := storedHeader(stored, name); value == headerMask && !ok {
			v.add("the masked value keeps a stored header's value; this webhook has no header "+name,
				"value_error", "body", "headers", name)
		}
	}
}

// storedHeader returns the stored value of the header name: the one stored
// under name, or else under a name that differs only in case (HTTP header
// names are case-insensitive).
func storedHeader(stored map[string]string, name string) (string, bool) {
	if v, ok := stored[name]; ok {
		return v, true
	}
	canon := http.CanonicalHeaderKey(name)
	for n, v := range stored {
		if http.CanonicalHeaderKey(n) == canon {
			return v, true
		}
	}
	return "", false
}

// patchHeaders seals the headers a PATCH sets on wh, whose headers were
// stored before it (see sealHeaders); a PATCH without headers keeps them.
func (a *API) patchHeaders(ctx context.Context, in *webhookInput, wh *herald.Webhook, stored map[string]string) error {
	if in.Headers == nil {
		return nil
	}
	headers, err := a.sealHeaders(ctx, *in.Headers, stored)
	if err != nil {
		return err
	}
	wh.Headers = headers
	return nil
}
