package template

import (
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math/big"
)

// pyRandom is CPython's random.Random: the MT19937 Mersenne Twister seeded as Python
// seeds it, so that random(seed=...) and shuffle(seed=...) give Ansible's results.
type pyRandom struct {
	mt  [624]uint32
	idx int
}

// newPyRandom seeds like random.Random(seed): an int by the 32-bit words of its absolute
// value, a str (version 2) as the int of its UTF-8 bytes followed by their SHA-512.
func newPyRandom(seed any) (*pyRandom, error) {
	var n *big.Int
	switch s := seed.(type) {
	case int:
		n = big.NewInt(int64(s))
	case bool:
		n = big.NewInt(0)
		if s {
			n = big.NewInt(1)
		}
	case string:
		sum := sha512.Sum512([]byte(s))
		n = new(big.Int).SetBytes(append([]byte(s), sum[:]...))
	case float64:
		if s != float64(int64(s)) {
			return nil, fmt.Errorf("float seeds other than whole numbers are not supported")
		}
		n = big.NewInt(int64(s)) // Python seeds a float by its hash: the int for whole numbers
	default:
		return nil, fmt.Errorf("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
	}
	n.Abs(n)
	// the key is the little-endian 32-bit words of the number, at least one
	b := n.Bytes()
	var key []uint32
	for end := len(b); end > 0; end -= 4 {
		start := max(end-4, 0)
		var w [4]byte
		copy(w[4-(end-start):], b[start:end])
		key = append(key, binary.BigEndian.Uint32(w[:]))
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	r := &pyRandom{}
	r.initByArray(key)
	return r, nil
}

func (r *pyRandom) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.idx = 624
}

func (r *pyRandom) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	for k := max(624, len(key)); k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k := 623; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
}

func (r *pyRandom) uint32() uint32 {
	if r.idx >= 624 {
		for k := 0; k < 624; k++ {
			y := (r.mt[k] & 0x80000000) | (r.mt[(k+1)%624] & 0x7fffffff)
			v := r.mt[(k+397)%624] ^ (y >> 1)
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			r.mt[k] = v
		}
		r.idx = 0
	}
	y := r.mt[r.idx]
	r.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// getrandbits(k) for 0 < k <= 64: 32-bit words, least significant first, the last one
// cut down to the bits left.
func (r *pyRandom) getrandbits(k int) uint64 {
	var out uint64
	for shift := 0; k > 0; shift += 32 {
		w := r.uint32()
		if k < 32 {
			w >>= 32 - k
		}
		out |= uint64(w) << shift
		k -= 32
	}
	return out
}

// randbelow is _randbelow_with_getrandbits: a random int in [0, n), n > 0.
func (r *pyRandom) randbelow(n int) int {
	k := 0
	for v := uint64(n); v > 0; v >>= 1 {
		k++
	}
	x := r.getrandbits(k)
	for x >= uint64(n) {
		x = r.getrandbits(k)
	}
	return int(x)
}
