package template

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"strings"
)

func init() {
	registerFilter(digestFilter("checksum_s", "sha1"), "checksum", "sha1")
	registerFilter(digestFilter("md5s", "md5"), "md5")
	registerFilter(filterHash, "hash")
	registerFilter(filterToUUID, "to_uuid")
}

// hashlib's algorithms, by hashlib.new's names.
var hashes = map[string]func() hash.Hash{
	"md5": md5.New, "sha1": sha1.New, "sha224": sha256.New224, "sha256": sha256.New,
	"sha384": sha512.New384, "sha512": sha512.New, "sha512_224": sha512.New512_224,
	"sha512_256": sha512.New512_256,
	"sha3_224":   func() hash.Hash { return sha3.New224() },
	"sha3_256":   func() hash.Hash { return sha3.New256() },
	"sha3_384":   func() hash.Hash { return sha3.New384() },
	"sha3_512":   func() hash.Hash { return sha3.New512() },
}

func hexDigest(algo string, data any) (string, bool) {
	newHash, ok := hashes[strings.ToLower(algo)]
	if !ok {
		return "", false
	}
	h := newHash()
	h.Write([]byte(pyStr(data)))
	return hex.EncodeToString(h.Sum(nil)), true
}

// digestFilter is a one-argument filter (Python's fn) giving the hex digest of str(value).
func digestFilter(fn, algo string) func(c *call) (any, error) {
	return func(c *call) (any, error) {
		if err := c.sig(fn, nil); err != nil {
			return nil, err
		}
		s, _ := hexDigest(algo, c.in)
		return s, nil
	}
}

// hash(hashtype='sha1').
func filterHash(c *call) (any, error) {
	if err := c.sig("get_hash", nil, "hashtype"); err != nil {
		return nil, err
	}
	algo := pyStr(c.arg(0, "hashtype", "sha1"))
	s, ok := hexDigest(algo, c.in)
	if !ok {
		return nil, &plainError{"unsupported hash type " + algo}
	}
	return s, nil
}

// ansibleNamespace is Ansible's UUID namespace for to_uuid.
var ansibleNamespace, _ = parsePyUUID("361E6D51-FAEC-444A-9079-341386DA8E2E")

// to_uuid(namespace=Ansible's): the version 5 UUID of str(value).
func filterToUUID(c *call) (any, error) {
	if err := c.sig("to_uuid", nil, "namespace"); err != nil {
		return nil, err
	}
	ns := ansibleNamespace
	if v := c.arg(0, "namespace", nil); v != nil {
		s := pyStr(v)
		parsed, err := parsePyUUID(s)
		if err != nil {
			return nil, &plainError{"Invalid value '" + s + "' for 'namespace': badly formed hexadecimal UUID string"}
		}
		ns = parsed
	}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(pyStr(c.in)))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	x := hex.EncodeToString(u)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:], nil
}

// parsePyUUID reads a UUID as Python's uuid.UUID(hex) does: braces, "urn:uuid:" and
// hyphens are dropped, then 32 hex digits must remain.
func parsePyUUID(s string) ([16]byte, error) {
	h := strings.TrimPrefix(strings.TrimPrefix(s, "urn:"), "uuid:")
	h = strings.ReplaceAll(strings.Trim(h, "{}"), "-", "")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 16 {
		return [16]byte{}, errBadUUID
	}
	var u [16]byte
	copy(u[:], b)
	return u, nil
}

var errBadUUID = &plainError{"badly formed hexadecimal UUID string"}
