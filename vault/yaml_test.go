package vault

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDecodeYAMLValue(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal(readTestdata(t, "vars-encrypt-string.yml"), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Content[0]
	value := func(key string) *yaml.Node {
		for i := 0; i < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		t.Fatalf("no key %s", key)
		return nil
	}
	both := []Secret{{ID: "default", Password: []byte("secret1")}, {ID: "prod", Password: []byte("prodpw")}}
	tests := []struct {
		name    string
		key     string
		secrets []Secret
		want    string
		wantErr string
	}{
		{name: "1.2 id prod", key: "db_password", secrets: both, want: "hunter2"},
		{name: "1.1", key: "token", secrets: both, want: "s3cr3t"},
		{name: "wrong password", key: "token", secrets: []Secret{{ID: "prod", Password: []byte("prodpw")}},
			wantErr: "line 8, column 8: !vault value: Decryption failed (no vault secrets were found that could decrypt)"},
		{name: "no secrets", key: "token", wantErr: "line 8, column 8: !vault value: Attempting to decrypt but no vault secrets found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeYAMLValue(value(tc.key), tc.secrets)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("value = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecryptTree(t *testing.T) {
	src := string(readTestdata(t, "vars-encrypt-string.yml")) + "plain: 1\nlist:\n  - " +
		strings.ReplaceAll(FormatYAML(mustEncrypt(t, "in a list", "dev"), ""), "\n", "\n  ") + "\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	secrets := []Secret{{ID: "default", Password: []byte("secret1")}, {ID: "prod", Password: []byte("prodpw")}, {ID: "dev", Password: []byte("devpw")}}
	if err := DecryptTree(&doc, secrets); err != nil {
		t.Fatal(err)
	}
	var got struct {
		DB    string   `yaml:"db_password"`
		Token string   `yaml:"token"`
		Plain int      `yaml:"plain"`
		List  []string `yaml:"list"`
	}
	if err := doc.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.DB != "hunter2" || got.Token != "s3cr3t" || got.Plain != 1 || len(got.List) != 1 || got.List[0] != "in a list" {
		t.Fatalf("decoded %+v", got)
	}
}

func TestDecodeYAMLValueNotVault(t *testing.T) {
	tests := []struct{ name, src, wantErr string }{
		{name: "untagged", src: "x: abc\n", wantErr: "expected a !vault tagged value"},
		{name: "tagged mapping", src: "x: !vault {a: 1}\n", wantErr: "must tag a string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := DecodeYAMLValue(doc.Content[0].Content[1], []Secret{{ID: "default", Password: []byte("x")}})
			var ye *YAMLError
			if !errors.As(err, &ye) || ye.Line != 1 || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want a YAMLError at line 1 containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestFormatYAML(t *testing.T) {
	v := []byte("$ANSIBLE_VAULT;1.1;AES256\n3131\n3232\n")
	tests := []struct{ name, key, want string }{
		{name: "named", key: "x", want: "x: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          3131\n          3232"},
		{name: "unnamed", want: "!vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          3131\n          3232"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatYAML(v, tc.key); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func mustEncrypt(t *testing.T, plain, id string) []byte {
	t.Helper()
	pw := map[string]string{"dev": "devpw", "": "secret1"}[id]
	v, err := Encrypt([]byte(plain), []byte(pw), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
