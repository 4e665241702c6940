package template

import (
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
)

// fakeVault stands in for *vault.Value: it counts its decryptions, so the tests see
// which uses open it.
type fakeVault struct {
	plain string
	err   error
	opens atomic.Int32
}

func (f *fakeVault) Decrypt() (string, error) {
	f.opens.Add(1)
	return f.plain, f.err
}

var errWrong = errors.New("Decryption failed (no vault secrets were found that could decrypt)")

func TestVaultedLazy(t *testing.T) {
	good := &fakeVault{plain: "hunter2"}
	bad := &fakeVault{err: errWrong}
	creds := map[string]any{"user": "bob", "pass": good}
	keyorder.Record(creds, []string{"user", "pass"})
	badCreds := map[string]any{"user": "bob", "pass": bad}
	s := NewScope(map[string]any{
		"vaulted": good, "broken": bad, "plain": 1, "creds": creds, "bad_creds": badCreds,
		"list": []any{"a", good}, "indirect": "{{ vaulted }}", "indirect_broken": "{{ broken }}", "twice": "{{ indirect_broken }}", "literal": &fakeVault{plain: "{{ plain }}"},
	})
	tests := []struct {
		name    string
		tpl     string
		want    any
		wantErr bool
		wantMsg string // when not the vault's bare message
	}{
		{name: "unused broken value", tpl: "{{ plain }}", want: 1},
		{name: "plain use", tpl: "{{ vaulted }}", want: "hunter2"},
		{name: "length", tpl: "{{ vaulted | length }}", want: "7"},
		{name: "to_json", tpl: "{{ vaulted | to_json }}", want: `"hunter2"`},
		{name: "comparison", tpl: "{{ vaulted == 'hunter2' }}", want: true},
		{name: "method", tpl: "{{ vaulted.upper() }}", want: "HUNTER2"},
		{name: "nested attribute", tpl: "{{ creds.pass }}", want: "hunter2"},
		{name: "whole dict", tpl: "{{ creds }}", want: map[string]any{"user": "bob", "pass": "hunter2"}},
		{name: "dict to_json", tpl: "{{ creds | to_json }}", want: `{"user": "bob", "pass": "hunter2"}`},
		{name: "list", tpl: "{{ list | join(',') }}", want: "a,hunter2"},
		{name: "through another variable", tpl: "{{ indirect }}", want: "hunter2"},
		{name: "plaintext is not templated", tpl: "{{ literal }}", want: "{{ plain }}"},
		{name: "broken but defined", tpl: "{{ broken is defined }}", want: true},
		{name: "broken sibling unused", tpl: "{{ bad_creds.user }}", want: "bob"},
		{name: "broken used", tpl: "{{ broken }}", wantErr: true},
		{name: "broken in a filter", tpl: "{{ broken | upper }}", wantErr: true},
		{name: "broken with default", tpl: "{{ broken | default('x') }}", wantErr: true},
		{name: "broken inside a dict", tpl: "{{ bad_creds }}", wantErr: true},
		{name: "broken inside to_json", tpl: "{{ bad_creds | to_json }}", wantErr: true},
		{name: "broken through a variable", tpl: "{{ indirect_broken | upper }}", wantErr: true,
			wantMsg: "An unhandled exception occurred while templating '{{ broken }}'. Error was a <class 'ansible.parsing.vault.AnsibleVaultError'>, original message: " + errWrong.Error()},
		{name: "broken through two variables", tpl: "{{ twice }}", wantErr: true,
			wantMsg: "An unhandled exception occurred while templating '{{ indirect_broken }}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: " +
				"An unhandled exception occurred while templating '{{ broken }}'. Error was a <class 'ansible.parsing.vault.AnsibleVaultError'>, original message: " + errWrong.Error()},
		{name: "broken in a for loop", tpl: "{% for k in bad_creds %}{{ bad_creds[k] }}{% endfor %}", wantErr: true},
	}
	e := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Render(tc.tpl, s)
			if tc.wantErr {
				want := tc.wantMsg
				if want == "" {
					want = errWrong.Error()
				}
				var ve *VaultError
				if !errors.As(err, &ve) || err.Error() != want {
					t.Fatalf("Render(%q) = %#v, %v\nwant the vault error %q", tc.tpl, got, err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Render(%q): %v", tc.tpl, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Render(%q) = %#v, want %#v", tc.tpl, got, tc.want)
			}
		})
	}
	if n := bad.opens.Load(); n == 0 {
		t.Error("the broken value was never opened")
	}
}

func TestVaultedUnusedNeverOpened(t *testing.T) {
	v := &fakeVault{plain: "x"}
	s := NewScope(map[string]any{"secret": v, "a": "{{ b }}", "b": 2})
	if _, err := New().Render("{{ a }}", s); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Lookup("b"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if n := v.opens.Load(); n != 0 {
		t.Fatalf("an unused vaulted value was decrypted %d times", n)
	}
}

// Data used as is (module arguments, connection variables) comes out opened, deeply; the
// layers are not written.
func TestVaultedRenderAndLookupReveal(t *testing.T) {
	v := &fakeVault{plain: "hunter2"}
	args := map[string]any{"content": v, "list": []any{v, 1}}
	s := NewScope(map[string]any{"ansible_become_password": v, "nested": map[string]any{"k": v}})
	got, err := New().Render(args, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"content": "hunter2", "list": []any{"hunter2", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Render = %#v, want %#v", got, want)
	}
	if args["content"] != any(v) {
		t.Fatal("Render wrote its input")
	}
	for name, want := range map[string]any{"ansible_become_password": "hunter2", "nested": map[string]any{"k": "hunter2"}} {
		got, ok, err := s.Lookup(name)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("Lookup(%s) = %#v, %v, %v; want %#v", name, got, ok, err, want)
		}
	}
	bad := NewScope(map[string]any{"p": &fakeVault{err: errWrong}})
	if _, _, err := bad.Lookup("p"); err == nil || err.Error() != errWrong.Error() {
		t.Fatalf("Lookup of a broken value: %v", err)
	}
	if _, err := New().Render(map[string]any{"x": &fakeVault{err: errWrong}}, bad); err == nil {
		t.Fatal("Render of a broken argument succeeded")
	}
}

func TestVaultedCondition(t *testing.T) {
	s := NewScope(map[string]any{"v": &fakeVault{plain: "a"}, "bad": &fakeVault{err: errWrong}})
	e := New()
	if ok, err := e.Cond("v == 'a'", s); err != nil || !ok {
		t.Fatalf("Cond = %v, %v", ok, err)
	}
	_, err := e.Cond("bad == 'a'", s)
	want := "The conditional check 'bad == 'a'' failed. The error was: " + errWrong.Error()
	if err == nil || err.Error() != want {
		t.Fatalf("Cond error = %v\nwant %s", err, want)
	}
}

// A recursion error prints the looping variable's definition: a vaulted value in it is
// shown as its ciphertext, never opened.
func TestVaultedRecursionSourceSealed(t *testing.T) {
	v := &sealedVault{fakeVault: fakeVault{plain: "hunter2"}}
	s := NewScope(map[string]any{"a": map[string]any{"k": "{{ a }}", "p": v}})
	_, err := New().Render("{{ a }}", s)
	var re *RecursionError
	if !errors.As(err, &re) {
		t.Fatalf("Render = %v, want a recursion error", err)
	}
	if strings.Contains(re.Source, "hunter2") || !strings.Contains(re.Source, "$ANSIBLE_VAULT") || v.opens.Load() != 0 {
		t.Fatalf("Source = %q (opened %d times)", re.Source, v.opens.Load())
	}
}

// sealedVault prints as its ciphertext, as *vault.Value does.
type sealedVault struct{ fakeVault }

func (*sealedVault) String() string { return "$ANSIBLE_VAULT;1.1;AES256\n6162" }
