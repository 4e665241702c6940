package template

import (
	"fmt"
	"strings"
)

func init() {
	registerFilter(filterPasswordHash, "password_hash")
}

// cryptAlgo is one crypt(3) scheme password_hash makes, with passlib's limits.
type cryptAlgo struct {
	name          string // passlib's name
	ident         string // "6" in "$6$..."
	saltSize      int    // the default and largest salt
	defaultRounds int    // passlib's default through Ansible (0: no rounds setting)
}

var cryptAlgos = map[string]cryptAlgo{
	"sha512_crypt": {"sha512_crypt", "6", 16, 656000},
	"sha256_crypt": {"sha256_crypt", "5", 16, 535000},
	"md5_crypt":    {"md5_crypt", "1", 8, 0},
}

// Ansible's short names for passlib's algorithms.
var cryptAliases = map[string]string{"md5": "md5_crypt", "blowfish": "bcrypt", "sha256": "sha256_crypt", "sha512": "sha512_crypt"}

// passlibOnly are algorithms passlib has that gossible does not make: an explicit error,
// not passlib's "does not support".
var passlibOnly = setOf(`bcrypt bcrypt_sha256 des_crypt bsdi_crypt bigcrypt crypt16 sha1_crypt
	sun_md5_crypt apr_md5_crypt pbkdf2_sha1 pbkdf2_sha256 pbkdf2_sha512 scrypt argon2 phpass
	django_pbkdf2_sha256 grub_pbkdf2_sha512 ldap_salted_sha1 msdcc nthash`)

// password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None) as
// Ansible makes it with passlib: sha512/sha256 get passlib's default rounds, written out.
func filterPasswordHash(c *call) (any, error) {
	if err := c.sig("get_encrypted_password", nil, "hashtype", "salt", "salt_size", "rounds", "ident"); err != nil {
		return nil, err
	}
	secret, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("secret must be unicode or bytes, not %s", typeName(c.in))
	}
	name := pyStr(c.arg(0, "hashtype", "sha512"))
	if a, ok := cryptAliases[name]; ok {
		name = a
	}
	algo, ok := cryptAlgos[name]
	if !ok {
		if passlibOnly[name] {
			return nil, &plainError{fmt.Sprintf("password_hash: the '%s' algorithm is not supported by gossible (sha512, sha256 and md5 are)", name)}
		}
		return nil, &plainError{fmt.Sprintf("passlib does not support '%s' algorithm", name)}
	}
	rounds, _ := c.arg(3, "rounds", nil).(int)
	if algo.defaultRounds == 0 && truthy(c.arg(3, "rounds", nil)) {
		return nil, typeErrorf("MinimalHandler.using() got an unexpected keyword argument 'rounds'")
	}
	if rounds == 0 {
		rounds = algo.defaultRounds
	}
	couldNot := func(why string) error { return &plainError{"Could not hash the secret.. " + why} }
	if algo.defaultRounds != 0 {
		if rounds < 1000 {
			return nil, couldNot(fmt.Sprintf("%s: min_desired_rounds (%d) is too low, must be at least 1000", name, rounds))
		}
		if rounds > 999999999 {
			return nil, couldNot(fmt.Sprintf("%s: min_desired_rounds (%d) is too large, cannot be more than 999999999", name, rounds))
		}
	}
	salt := ""
	if s := c.arg(1, "salt", nil); truthy(s) {
		salt = pyStr(s)
		if strings.ContainsFunc(salt, func(r rune) bool { return !strings.ContainsRune(crypt64, r) }) {
			return nil, couldNot("invalid characters in " + name + " salt")
		}
		if len(salt) > algo.saltSize {
			return nil, couldNot(fmt.Sprintf("salt too large (%s requires <= %d chars)", name, algo.saltSize))
		}
	} else {
		size := algo.saltSize
		if n, ok := c.arg(2, "salt_size", nil).(int); ok && n > 0 && n <= algo.saltSize {
			size = n
		}
		var err error
		if salt, err = randomPassword(size, crypt64); err != nil {
			return nil, err
		}
	}
	if algo.ident == "1" {
		return md5Crypt(secret, salt), nil
	}
	return shaCryptString(algo.ident, secret, salt, rounds), nil
}
