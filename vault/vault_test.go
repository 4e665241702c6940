package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenSalt is the ANSIBLE_VAULT_ENCRYPT_SALT the golden files were made
// with by ansible-vault 2.14 (testdata/make-golden.py).
const goldenSalt = "gossible-golden-salt-0123456789ab"

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecryptAnsibleVaults(t *testing.T) {
	defaultPW := Secret{ID: DefaultID, Password: []byte("secret1")}
	prodPW := Secret{ID: "prod", Password: []byte("prodpw")}
	tests := []struct {
		name    string
		vault   string
		plain   string
		secrets []Secret
		wantErr error
	}{
		{name: "1.1 multiline", vault: "v11-multiline.vault", plain: "plain-multiline.txt", secrets: []Secret{defaultPW}},
		{name: "1.1 full padding block", vault: "v11-block.vault", plain: "plain-block.txt", secrets: []Secret{defaultPW}},
		{name: "1.1 empty plaintext", vault: "v11-empty.vault", plain: "plain-empty.txt", secrets: []Secret{defaultPW}},
		{name: "1.2 id matches", vault: "v12-prod-utf8.vault", plain: "plain-utf8.txt", secrets: []Secret{defaultPW, prodPW}},
		{name: "1.2 id unknown, falls back to all", vault: "v12-prod-utf8.vault", plain: "plain-utf8.txt", secrets: []Secret{{ID: "other", Password: []byte("prodpw")}}},
		{name: "1.1 with labelled secret", vault: "v11-multiline.vault", plain: "plain-multiline.txt", secrets: []Secret{prodPW, {ID: "dev", Password: []byte("secret1")}}},
		{name: "wrong password", vault: "v11-multiline.vault", secrets: []Secret{{ID: DefaultID, Password: []byte("nope")}}, wantErr: ErrWrongPassword},
		{name: "right id wrong password", vault: "v12-prod-utf8.vault", secrets: []Secret{{ID: "prod", Password: []byte("secret1")}}, wantErr: ErrWrongPassword},
		{name: "no secrets", vault: "v11-multiline.vault", wantErr: ErrNoSecrets},
		{name: "plaintext input", vault: "plain-multiline.txt", secrets: []Secret{defaultPW}, wantErr: ErrNotEncrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decrypt(readTestdata(t, tc.vault), tc.secrets)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := readTestdata(t, tc.plain); !bytes.Equal(got, want) {
				t.Fatalf("plaintext = %q, want %q", got, want)
			}
		})
	}
}

func TestWrongPasswordMessage(t *testing.T) {
	_, err := DecryptFile("secrets.yml", readTestdata(t, "v11-multiline.vault"), []Secret{{ID: DefaultID, Password: []byte("x")}})
	want := "Decryption failed (no vault secrets were found that could decrypt) on secrets.yml"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if !errors.Is(err, ErrWrongPassword) {
		t.Fatal("FileError does not unwrap to ErrWrongPassword")
	}
}

// TestEncryptGolden: with Ansible's salt the output is byte-identical to
// ansible-vault's.
func TestEncryptGolden(t *testing.T) {
	tests := []struct {
		name, plain, golden, password, id string
	}{
		{name: "1.1", plain: "plain-multiline.txt", golden: "golden-v11-multiline.vault", password: "secret1"},
		{name: "1.1 default id", plain: "plain-multiline.txt", golden: "golden-v11-multiline.vault", password: "secret1", id: DefaultID},
		{name: "1.2 prod", plain: "plain-utf8.txt", golden: "golden-v12-prod-utf8.vault", password: "prodpw", id: "prod"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := encrypt(readTestdata(t, tc.plain), []byte(tc.password), tc.id, []byte(goldenSalt))
			if err != nil {
				t.Fatal(err)
			}
			if want := readTestdata(t, tc.golden); !bytes.Equal(got, want) {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestEncryptRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		plain      []byte
		id         string
		wantHeader string
	}{
		{name: "empty", plain: nil, wantHeader: "$ANSIBLE_VAULT;1.1;AES256"},
		{name: "binary", plain: []byte{0, 1, 2, 0xff, '\n'}, wantHeader: "$ANSIBLE_VAULT;1.1;AES256"},
		{name: "long with id", plain: bytes.Repeat([]byte("x"), 1000), id: "dev", wantHeader: "$ANSIBLE_VAULT;1.2;AES256;dev"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Encrypt(tc.plain, []byte("pw"), tc.id)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(v), "\n")
			if lines[0] != tc.wantHeader {
				t.Fatalf("header = %q, want %q", lines[0], tc.wantHeader)
			}
			if lines[len(lines)-1] != "" {
				t.Fatal("no final newline")
			}
			for _, l := range lines[1 : len(lines)-1] {
				if len(l) > 80 || len(l) == 0 {
					t.Fatalf("body line of %d chars", len(l))
				}
			}
			got, err := Decrypt(v, []Secret{{ID: "x", Password: []byte("pw")}})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tc.plain) {
				t.Fatalf("round trip = %q, want %q", got, tc.plain)
			}
		})
	}
}

func TestEncryptErrors(t *testing.T) {
	tests := []struct {
		name     string
		plain    []byte
		secret   string
		id       string
		wantErr  error
		wantText string
	}{
		{name: "already encrypted", plain: []byte("$ANSIBLE_VAULT;1.1;AES256\n00\n"), secret: "pw", wantErr: ErrAlreadyEncrypted},
		{name: "empty password", plain: []byte("x"), wantErr: ErrEmptyPassword},
		{name: "semicolon in id", plain: []byte("x"), secret: "pw", id: "a;b", wantText: "The character ';' is not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encrypt(tc.plain, []byte(tc.secret), tc.id)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantText)
			}
		})
	}
}

func TestDecryptMalformed(t *testing.T) {
	good := string(readTestdata(t, "v11-multiline.vault"))
	body := good[strings.Index(good, "\n")+1:]
	tests := []struct {
		name, data, wantText string
	}{
		{name: "short header", data: "$ANSIBLE_VAULT;1.1\n" + body, wantText: "needs at least 3"},
		{name: "unknown cipher", data: "$ANSIBLE_VAULT;1.1;AES\n" + body, wantText: "AES cipher could not be found"},
		{name: "bad hex", data: "$ANSIBLE_VAULT;1.1;AES256\nzz" + body, wantText: "unhexlify"},
		{name: "two parts", data: "$ANSIBLE_VAULT;1.1;AES256\n" + string(hexBytes([]byte("00\n00"))) + "\n", wantText: "body has 2 parts"},
		{name: "truncated", data: good[:len(good)-10] + "\n", wantText: "vault format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decrypt([]byte(tc.data), []Secret{{ID: DefaultID, Password: []byte("secret1")}})
			if err == nil || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantText)
			}
		})
	}
}

func TestIsEncrypted(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{name: "vault", data: "$ANSIBLE_VAULT;1.1;AES256\n00\n", want: true},
		{name: "plain yaml", data: "a: 1\n"},
		{name: "leading space", data: " $ANSIBLE_VAULT;1.1;AES256\n"},
		{name: "non-ascii", data: "$ANSIBLE_VAULT;1.1;AES256\né\n"},
		{name: "empty", data: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsEncrypted([]byte(tc.data)); got != tc.want {
				t.Fatalf("IsEncrypted = %v, want %v", got, tc.want)
			}
		})
	}
}
