package auth

// SetHashHook sets a hook called as each client-secret check starts, with
// the number of checks then in progress.
func SetHashHook(a *Authenticator, hook func(inFlight int)) { a.onHash = hook }
