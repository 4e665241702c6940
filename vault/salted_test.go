package vault

import (
	"errors"
	"testing"
)

// TestEncryptSalted: with a salt, the output is the one Ansible 2.14's vault filter
// gives for the same input (recorded from `'x' | vault(...)`).
func TestEncryptSalted(t *testing.T) {
	const body = "3631363236330a313531346238346566313437313262663031353530656133363937656465306230\n" +
		"373530656262356232303339373365656262313737393764356131663466300a3161326663313864\n" +
		"613063383265343865363763353764613834623365613234\n"
	tests := []struct {
		name, plain, password, id, salt string
		noSalt                          bool
		want                            string
		wantErr                         error
	}{
		{name: "filter default id", plain: "x", password: "pw", id: "filter_default", salt: "abc", want: "$ANSIBLE_VAULT;1.2;AES256;filter_default\n" + body},
		{name: "no id is 1.1", plain: "x", password: "pw", salt: "abc", want: "$ANSIBLE_VAULT;1.1;AES256\n" + body},
		{name: "default id is 1.1", plain: "x", password: "pw", id: DefaultID, salt: "abc", want: "$ANSIBLE_VAULT;1.1;AES256\n" + body},
		{name: "id with semicolon written as given", plain: "x", password: "pw", id: "a;b", salt: "abc", want: "$ANSIBLE_VAULT;1.2;AES256;a;b\n" + body},
		{name: "empty salt", plain: "x", password: "pw", salt: "", wantErr: ErrEmptySalt},
		{name: "already encrypted", plain: "$ANSIBLE_VAULT;1.1;AES256\n00", password: "pw", salt: "", wantErr: ErrAlreadyEncrypted},
		{name: "empty password, random salt", plain: "x", password: "", noSalt: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var salt []byte
			if !tc.noSalt {
				salt = []byte(tc.salt)
			}
			got, err := EncryptSalted([]byte(tc.plain), []byte(tc.password), tc.id, salt)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != "" && string(got) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
			pt, err := Decrypt(got, []Secret{{ID: tc.id, Password: []byte(tc.password)}})
			if err != nil || string(pt) != tc.plain {
				t.Fatalf("round trip = %q, %v; want %q", pt, err, tc.plain)
			}
		})
	}
}
