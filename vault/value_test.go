package vault

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestValueDecryptsOnUse(t *testing.T) {
	ct, err := Encrypt([]byte("hunter2"), []byte("pw"), "")
	if err != nil {
		t.Fatal(err)
	}
	// as a YAML block scalar leaves it: indented lines kept trimmed, a final newline
	text := string(ct)
	tests := []struct {
		name    string
		secrets []Secret
		want    string
		cause   error
	}{
		{name: "right password", secrets: []Secret{{ID: DefaultID, Password: []byte("pw")}}, want: "hunter2"},
		{name: "right password among others", secrets: []Secret{{ID: "dev", Password: []byte("x")}, {ID: "prod", Password: []byte("pw")}}, want: "hunter2"},
		{name: "wrong password", secrets: []Secret{{ID: DefaultID, Password: []byte("nope")}}, cause: ErrWrongPassword},
		{name: "no password", cause: ErrNoSecrets},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewValue(text, tc.secrets)
			got, err := v.Decrypt()
			if tc.cause != nil {
				if !errors.Is(err, tc.cause) || err.Error() != tc.cause.Error() {
					t.Fatalf("Decrypt = %q, %v; want the bare %v", got, err, tc.cause)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Decrypt = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestValueNotEncrypted(t *testing.T) {
	_, err := NewValue("not a vault", []Secret{{ID: DefaultID, Password: []byte("pw")}}).Decrypt()
	if !errors.Is(err, ErrNotEncrypted) {
		t.Fatalf("err = %v", err)
	}
}

// One Value is shared by every host: concurrent uses decrypt it once and agree.
func TestValueConcurrentUse(t *testing.T) {
	ct, _ := Encrypt([]byte("s"), []byte("pw"), "")
	v := NewValue(string(ct), []Secret{{ID: DefaultID, Password: []byte("pw")}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := v.Decrypt(); err != nil || got != "s" {
				t.Errorf("Decrypt = %q, %v", got, err)
			}
		}()
	}
	wg.Wait()
}

// Printing a Value shows the ciphertext, never the plaintext or the passwords; its JSON
// form is Ansible's {"__ansible_vault": envelope}.
func TestValueDisplay(t *testing.T) {
	ct, _ := Encrypt([]byte("hunter2"), []byte("pw"), "")
	v := NewValue(string(ct), []Secret{{ID: DefaultID, Password: []byte("pw")}})
	if _, err := v.Decrypt(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%v", v), v.String()} {
		if s != string(ct) {
			t.Fatalf("printed %q", s)
		}
	}
	// a %#v dump must show neither the plaintext nor the password's bytes
	for _, s := range []string{fmt.Sprintf("%#v", v), fmt.Sprintf("%#v", []any{v})} {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "0x70, 0x77") || !strings.Contains(s, string(ct)) {
			t.Fatalf("%%#v printed %q", s)
		}
	}
	m, ok := v.JSONData().(map[string]any)
	if !ok || m["__ansible_vault"] != string(ct) || len(m) != 1 {
		t.Fatalf("JSONData = %#v", v.JSONData())
	}
}
