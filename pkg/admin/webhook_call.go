package admin

import (
	"github.com/heraldhq/herald/pkg/validation"
)

// caller makes the API's test and validation calls to endpoints.
func (a *API) caller() validation.Caller {
	return validation.Caller{Sealer: a.cfg.Sealer, Client: a.cfg.Client, HeaderPrefix: a.cfg.HeaderPrefix,
		HexSignature: a.cfg.HexSignature, Timeout: a.cfg.DeliveryTimeout, Origin: a.cfg.ValidationOrigin, Now: a.cfg.Now}
}

// recorder records validations on webhooks and announces failed
// re-validations on the own-events channel.
func (a *API) recorder() validation.Recorder {
	return validation.Recorder{Writes: a.webhooks(), OwnEvents: a.cfg.OwnEvents, Now: a.cfg.Now}
}
