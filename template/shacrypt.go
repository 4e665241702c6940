package template

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strconv"
)

// The crypt(3) password hashes password_hash makes: SHA-crypt ($5$, $6$) as specified by
// Ulrich Drepper ("Unix crypt using SHA-256 and SHA-512") and the FreeBSD MD5-crypt ($1$).

const crypt64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// cryptEncode writes the digest bytes in crypt's base64: each group of up to three bytes
// (first byte most significant) as n characters, least significant six bits first.
func cryptEncode(d []byte, groups [][3]int, tail []int) string {
	var out []byte
	put := func(w uint32, n int) {
		for ; n > 0; n-- {
			out = append(out, crypt64[w&0x3f])
			w >>= 6
		}
	}
	for _, g := range groups {
		put(uint32(d[g[0]])<<16|uint32(d[g[1]])<<8|uint32(d[g[2]]), 4)
	}
	var w uint32
	for _, i := range tail {
		w = w<<8 | uint32(d[i])
	}
	put(w, len(tail)+1)
	return string(out)
}

var (
	sha512Groups = [][3]int{{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
		{47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10},
		{53, 11, 32}, {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16},
		{59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}}
	sha256Groups = [][3]int{{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
		{15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}}
	md5Groups = [][3]int{{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}}
)

// repeatTo is b repeated (and cut) to n bytes.
func repeatTo(b []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, b[:min(len(b), n-len(out))]...)
	}
	return out
}

// shaCrypt is the SHA-crypt digest of password with salt (at most 16 bytes) and rounds.
func shaCrypt(newHash func() hash.Hash, password, salt []byte, rounds int) []byte {
	sum := func(parts ...[]byte) []byte {
		h := newHash()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(nil)
	}
	b := sum(password, salt, password)
	a := newHash()
	a.Write(password)
	a.Write(salt)
	a.Write(repeatTo(b, len(password)))
	for n := len(password); n > 0; n >>= 1 {
		if n&1 != 0 {
			a.Write(b)
		} else {
			a.Write(password)
		}
	}
	digest := a.Sum(nil)
	dp := newHash()
	for range password {
		dp.Write(password)
	}
	p := repeatTo(dp.Sum(nil), len(password))
	ds := newHash()
	for i := 0; i < 16+int(digest[0]); i++ {
		ds.Write(salt)
	}
	s := repeatTo(ds.Sum(nil), len(salt))
	return cryptRounds(newHash, digest, p, s, rounds)
}

// cryptRounds is the stretching loop SHA-crypt and MD5-crypt share: each round hashes
// the digest and p, in an order set by the round's parity, with s added on rounds not
// divisible by 3 and p again on rounds not divisible by 7.
func cryptRounds(newHash func() hash.Hash, digest, p, s []byte, rounds int) []byte {
	for i := 0; i < rounds; i++ {
		c := newHash()
		if i&1 != 0 {
			c.Write(p)
		} else {
			c.Write(digest)
		}
		if i%3 != 0 {
			c.Write(s)
		}
		if i%7 != 0 {
			c.Write(p)
		}
		if i&1 != 0 {
			c.Write(digest)
		} else {
			c.Write(p)
		}
		digest = c.Sum(digest[:0])
	}
	return digest
}

// shaCryptString is the full "$6$[rounds=N$]salt$hash" text; the rounds field is left
// out at the default 5000, as passlib and glibc write it.
func shaCryptString(ident string, password, salt string, rounds int) string {
	prefix := "$" + ident + "$"
	if rounds != 5000 {
		prefix += "rounds=" + strconv.Itoa(rounds) + "$"
	}
	prefix += salt + "$"
	if ident == "5" {
		d := shaCrypt(sha256.New, []byte(password), []byte(salt), rounds)
		return prefix + cryptEncode(d, sha256Groups, []int{31, 30})
	}
	d := shaCrypt(sha512.New, []byte(password), []byte(salt), rounds)
	return prefix + cryptEncode(d, sha512Groups, []int{63})
}

// md5Crypt is "$1$salt$hash", salt at most 8 bytes.
func md5Crypt(password, salt string) string {
	pw, sl := []byte(password), []byte(salt)
	alt := md5.Sum(append(append(append([]byte{}, pw...), sl...), pw...))
	ctx := md5.New()
	ctx.Write(pw)
	ctx.Write([]byte("$1$"))
	ctx.Write(sl)
	ctx.Write(repeatTo(alt[:], len(pw)))
	for n := len(pw); n > 0; n >>= 1 {
		if n&1 != 0 {
			ctx.Write([]byte{0})
		} else {
			ctx.Write(pw[:1])
		}
	}
	final := cryptRounds(md5.New, ctx.Sum(nil), pw, sl, 1000)
	return "$1$" + salt + "$" + cryptEncode(final, md5Groups, []int{11})
}
