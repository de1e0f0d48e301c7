package probe

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// minted is a token and when its answer arrived.
type minted struct {
	token string
	at    time.Time
}

// rotationRace mints tokens in a loop with an application's secret while
// its secret is rotated with "grace_period": "0s", the rotation sent just
// after a token was issued (its iat) within the same second. Every token minted
// before the rotation was sent must then be refused.
func rotationRace(e *env) result {
	victim := e.createApp(e.t, "", "", read)
	m := &minter{stop: make(chan struct{})}
	m.wg.Add(1)
	go m.run(e, victim)
	var sent time.Time
	heraldtest.Poll(20*time.Second, func() bool {
		now := time.Now()
		if last := m.last(); last == "" || issuedAt(last) != now.Unix() || now.Nanosecond() > 800e6 {
			return false
		}
		sent = now
		return true
	})
	if sent.IsZero() {
		// No token was issued early enough in a second (a slow machine):
		// rotate anyway; the tokens minted before are judged all the same.
		sent = time.Now()
	}
	ans := e.do(adminToken, "POST", "/api/v1/admin/applications/"+victim.ID+"/rotate-secret",
		map[string]any{"grace_period": "0s"})
	close(m.stop)
	m.wg.Wait()
	if ans.status != 200 {
		return result{status: ans.status, breach: "the rotation was refused"}
	}
	return judgeRotation(e, m.tokens, sent)
}

// minter mints tokens for an application until stopped.
type minter struct {
	stop   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	tokens []minted
}

func (m *minter) run(e *env, a *app) {
	defer m.wg.Done()
	for {
		select {
		case <-m.stop:
			return
		default:
		}
		if tok, _ := e.token(a.ID, a.Secret); tok != "" {
			m.mu.Lock()
			m.tokens = append(m.tokens, minted{tok, time.Now()})
			m.mu.Unlock()
		}
	}
}

// last returns the last token minted, "" before the first.
func (m *minter) last() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.tokens) == 0 {
		return ""
	}
	return m.tokens[len(m.tokens)-1].token
}

// issuedAt returns the iat claim of a token, 0 when it has none.
func issuedAt(tok string) int64 {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return 0
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		IAT int64 `json:"iat"`
	}
	_ = json.Unmarshal(raw, &c)
	return c.IAT
}

// judgeRotation tries every token minted before sent.
func judgeRotation(e *env, tokens []minted, sent time.Time) result {
	judged, valid, sameSecond := 0, 0, 0
	for _, m := range tokens {
		if !m.at.Before(sent) {
			continue
		}
		judged++
		if e.do(m.token, "GET", hooksPath, nil).status != 401 {
			valid++
			if issuedAt(m.token) == sent.Unix() {
				sameSecond++
			}
		}
	}
	if valid > 0 {
		return result{status: 200, breach: fmt.Sprintf("%d of %d tokens minted before the rotation still work (%d issued in the rotation's second)",
			valid, judged, sameSecond)}
	}
	return result{status: 401}
}
