package signature

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"sync"
)

// Encoded sizes of the two signatures.
const (
	v1Len  = len("v1,") + 44     // base64 of 32 bytes
	hexLen = len("sha256=") + 64 // hex of 32 bytes
)

// V1 returns the Standard Webhooks signature "v1,<base64 HMAC-SHA256(key,
// id.timestamp.body)>" with the timestamp in Unix seconds.
func V1(key []byte, id, timestamp string, body []byte) string {
	var b [v1Len]byte
	return string(AppendV1(b[:0], key, id, timestamp, body))
}

// AppendV1 appends the V1 signature to dst and returns the extended slice.
func AppendV1(dst, key []byte, id, timestamp string, body []byte) []byte {
	return appendV1(dst, key, id, []byte(timestamp), body)
}

// appendV1 is AppendV1 with the timestamp already in bytes. It neither
// copies body nor retains any argument.
func appendV1(dst, key []byte, id string, timestamp, body []byte) []byte {
	p, st := macs.get(key)
	defer put(p, st)
	st.buf = append(st.buf[:0], id...)
	st.buf = append(st.buf, '.')
	st.buf = append(st.buf, timestamp...)
	st.buf = append(st.buf, '.')
	st.mac.Write(st.buf)
	st.mac.Write(body)
	st.buf = st.mac.Sum(st.buf[:0])
	dst = append(dst, "v1,"...)
	return base64.StdEncoding.AppendEncode(dst, st.buf)
}

// Hex returns "sha256=<hex HMAC-SHA256(key, body)>".
func Hex(key, body []byte) string {
	var b [hexLen]byte
	return string(AppendHex(b[:0], key, body))
}

// AppendHex appends the Hex signature to dst and returns the extended slice.
// It neither copies body nor retains any argument.
func AppendHex(dst, key, body []byte) []byte {
	p, st := macs.get(key)
	return appendHexSum(append(dst, "sha256="...), p, st, body)
}

// AppendPlainHex appends the HexPlain signature: the bare hex HMAC-SHA256 of
// body keyed with the secret's text, "whsec_" included. It neither copies
// body nor retains any argument.
func AppendPlainHex(dst []byte, secret string, body []byte) []byte {
	p, st := macs.getText(secret)
	return appendHexSum(dst, p, st, body)
}

// appendHexSum appends the hex HMAC of body under st and puts st back in p.
func appendHexSum(dst []byte, p *sync.Pool, st *macState, body []byte) []byte {
	defer put(p, st)
	st.mac.Write(body)
	st.buf = st.mac.Sum(st.buf[:0])
	return hex.AppendEncode(dst, st.buf)
}

// VerifyHex reports whether header is the hex signature of body under key,
// comparing in constant time.
func VerifyHex(key, body []byte, header string) bool {
	var b [hexLen]byte
	return hmac.Equal([]byte(header), AppendHex(b[:0], key, body))
}

// VerifyPlainHex reports whether header is the HexPlain signature of body
// under secret's text, comparing in constant time.
func VerifyPlainHex(secret string, body []byte, header string) bool {
	var b [hexLen]byte
	return hmac.Equal([]byte(header), AppendPlainHex(b[:0], secret, body))
}
