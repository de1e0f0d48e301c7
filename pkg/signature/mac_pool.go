package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// maxPooledKeys bounds how many keys keep a pool of HMAC states. A deployment
// signs with one key per webhook (two during a rotation, one more for the
// hex header in HexPlain mode), so most see far
// fewer; past the bound an arbitrary key's pool is dropped to make room.
const maxPooledKeys = 1024

// macState is a reusable HMAC-SHA256 under one key, with scratch space for
// the signed prefix and the sum, so that signing allocates nothing.
type macState struct {
	mac hash.Hash
	buf []byte
}

// macPools holds a pool of HMAC states per key. crypto/hmac allocates about a
// dozen objects per New and keeps the key's ipad and opad states across
// Reset, so a reused state skips both the allocations and two compressions.
//
// The pooled states hold key material (as the callers' keys do); they are
// never handed out, and sync.Pool lets the garbage collector drop idle ones.
type macPools struct {
	mu    sync.RWMutex
	pools map[string]*sync.Pool
}

// macs is the process-wide cache: Signer is a plain value copied into every
// sender, and V1 and Hex are functions, so there is no owner to hang it on.
var macs = &macPools{pools: make(map[string]*sync.Pool)}

// get returns a reset HMAC state under key; put it back with put.
func (c *macPools) get(key []byte) (*sync.Pool, *macState) {
	c.mu.RLock()
	p := c.pools[string(key)] // no allocation: the conversion only indexes
	c.mu.RUnlock()
	if p == nil {
		p = c.add(string(key)) // a copy: the caller may reuse its slice
	}
	return p, p.Get().(*macState)
}

// getText is get with the key's bytes given as a string (a secret's text,
// for HexPlain), without converting it.
func (c *macPools) getText(key string) (*sync.Pool, *macState) {
	c.mu.RLock()
	p := c.pools[key]
	c.mu.RUnlock()
	if p == nil {
		p = c.add(key)
	}
	return p, p.Get().(*macState)
}

// add creates the pool for key, evicting another key's when full.
func (c *macPools) add(key string) *sync.Pool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.pools[key]; p != nil {
		return p
	}
	if len(c.pools) >= maxPooledKeys {
		for k := range c.pools {
			delete(c.pools, k)
			break
		}
	}
	p := &sync.Pool{New: func() any {
		return &macState{mac: hmac.New(sha256.New, []byte(key)), buf: make([]byte, 0, 128)}
	}}
	c.pools[key] = p
	return p
}

// put resets st and returns it to p.
func put(p *sync.Pool, st *macState) {
	st.mac.Reset()
	p.Put(st)
}
