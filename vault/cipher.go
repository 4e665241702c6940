package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

const (
	saltLen    = 32
	keyLen     = 32
	ivLen      = aes.BlockSize
	iterations = 10000
)

// errHMAC means the secret did not derive the key the data was sealed with:
// a wrong password, or tampered data.
var errHMAC = errors.New("hmac verification failed")

// deriveKeys returns the AES key, HMAC key and CTR IV for password and salt.
func deriveKeys(password, salt []byte) (cipherKey, hmacKey, iv []byte, err error) {
	dk, err := pbkdf2.Key(sha256.New, string(password), salt, iterations, 2*keyLen+ivLen)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("derive vault keys: %w", err)
	}
	return dk[:keyLen], dk[keyLen : 2*keyLen], dk[2*keyLen:], nil
}

// sealAES256 encrypts plaintext and returns the body text before the outer
// hex encoding: hex(salt) "\n" hex(hmac) "\n" hex(ciphertext). A nil salt
// draws a random one.
func sealAES256(plaintext, password, salt []byte) ([]byte, error) {
	if salt == nil {
		salt = make([]byte, saltLen)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("vault salt: %w", err)
		}
	}
	ck, hk, iv, err := deriveKeys(password, salt)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(ck)
	if err != nil {
		return nil, fmt.Errorf("vault cipher: %w", err)
	}
	ct := pad(plaintext)
	cipher.NewCTR(block, iv).XORKeyStream(ct, ct)
	mac := hmac.New(sha256.New, hk)
	mac.Write(ct)
	parts := [][]byte{hexBytes(salt), hexBytes(mac.Sum(nil)), hexBytes(ct)}
	return bytes.Join(parts, []byte("\n")), nil
}

// splitBody decodes the outer hex of an envelope body into salt, HMAC and
// ciphertext.
func splitBody(body []byte) (salt, sum, ct []byte, err error) {
	inner := make([]byte, hex.DecodedLen(len(body)))
	if _, err := hex.Decode(inner, body); err != nil {
		return nil, nil, nil, &FormatError{Msg: fmt.Sprintf("vault format unhexlify error: %v", err)}
	}
	parts := bytes.Split(inner, []byte("\n"))
	if len(parts) != 3 {
		return nil, nil, nil, &FormatError{Msg: fmt.Sprintf("vault format error: body has %d parts, expected salt, hmac and ciphertext", len(parts))}
	}
	out := make([][]byte, 3)
	for i, p := range parts {
		out[i] = make([]byte, hex.DecodedLen(len(p)))
		if _, err := hex.Decode(out[i], p); err != nil {
			return nil, nil, nil, &FormatError{Msg: fmt.Sprintf("vault format unhexlify error: %v", err)}
		}
	}
	return out[0], out[1], out[2], nil
}

// openAES256 checks the HMAC and decrypts; errHMAC when password is wrong.
func openAES256(salt, sum, ct, password []byte) ([]byte, error) {
	ck, hk, iv, err := deriveKeys(password, salt)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, hk)
	mac.Write(ct)
	if !hmac.Equal(mac.Sum(nil), sum) {
		return nil, errHMAC
	}
	block, err := aes.NewCipher(ck)
	if err != nil {
		return nil, fmt.Errorf("vault cipher: %w", err)
	}
	pt := make([]byte, len(ct))
	cipher.NewCTR(block, iv).XORKeyStream(pt, ct)
	return unpad(pt)
}

// pad is PKCS#7 to the AES block size; Ansible pads although CTR needs none.
func pad(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	out := make([]byte, len(b), len(b)+n)
	copy(out, b)
	return append(out, bytes.Repeat([]byte{byte(n)}, n)...)
}

func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b)%aes.BlockSize != 0 {
		return nil, &FormatError{Msg: fmt.Sprintf("vault format error: ciphertext length %d is not a multiple of %d", len(b), aes.BlockSize)}
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, &FormatError{Msg: "vault format error: invalid padding bytes"}
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, &FormatError{Msg: "vault format error: invalid padding bytes"}
		}
	}
	return b[:len(b)-n], nil
}

func hexBytes(b []byte) []byte {
	out := make([]byte, hex.EncodedLen(len(b)))
	hex.Encode(out, b)
	return out
}
