package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/vault"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

func init() { subcommands = append(subcommands, newVaultCmd) }

// vaultPrompt reads a password without echo; tests replace it.
var vaultPrompt = vault.TerminalPrompt

// isTerminal reports whether s is a terminal; ansible-vault prints its
// "... successful" and "Reading ... from stdin" notes only then. Tests
// replace it.
var isTerminal = func(s any) bool {
	f, ok := s.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// vaultFlags are ansible-vault's options; each subcommand registers the
// ones it takes.
type vaultFlags struct {
	ids, passwordFiles []string
	askPass            bool
	verbose            int
	output             string
	encryptID          string
	// encrypt_string
	prompt, showInput bool
	names             []string
	stdinName         string
	// rekey
	newPasswordFile, newID string
}

// appendValue is a repeatable string flag; aliases share one slice, so
// --vault-password-file and --vault-pass-file may be mixed.
type appendValue struct{ s *[]string }

func (a appendValue) String() string     { return strings.Join(*a.s, ",") }
func (a appendValue) Set(v string) error { *a.s = append(*a.s, v); return nil }
func (a appendValue) Type() string       { return "string" }

func (f *vaultFlags) common(fl *pflag.FlagSet) {
	fl.Var(appendValue{&f.ids}, "vault-id", "the vault identity to use")
	fl.BoolVar(&f.askPass, "ask-vault-password", false, "ask for vault password")
	fl.BoolVar(&f.askPass, "ask-vault-pass", false, "ask for vault password")
	fl.Var(appendValue{&f.passwordFiles}, "vault-password-file", "vault password file")
	fl.Var(appendValue{&f.passwordFiles}, "vault-pass-file", "vault password file")
	fl.CountVarP(&f.verbose, "verbose", "v", "verbose mode (accepted, no extra output)")
	_ = fl.MarkHidden("ask-vault-pass")
	_ = fl.MarkHidden("vault-pass-file")
}

func (f *vaultFlags) outputFlag(fl *pflag.FlagSet) {
	fl.StringVar(&f.output, "output", "", "output file name for encrypt or decrypt; use - for stdout")
}

func (f *vaultFlags) encryptIDFlag(fl *pflag.FlagSet) {
	fl.StringVar(&f.encryptID, "encrypt-vault-id", "", "the vault id used to encrypt (required if more than one vault-id is provided)")
}

// check applies ansible-vault's option rules shared by the subcommands.
func (f *vaultFlags) check(cmd *cobra.Command, args []string) error {
	fl := cmd.Flags()
	if (fl.Changed("ask-vault-password") || fl.Changed("ask-vault-pass")) &&
		(fl.Changed("vault-password-file") || fl.Changed("vault-pass-file")) {
		return &usageError{cmd: cmd, err: errors.New("argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass")}
	}
	if f.newPasswordFile != "" && f.newID != "" {
		return &usageError{cmd: cmd, err: errors.New("argument --new-vault-id: not allowed with argument --new-vault-password-file")}
	}
	for _, id := range f.ids {
		if strings.Contains(id, ";") {
			return optionsError(fmt.Sprintf("'%s' is not a valid vault id. The character ';' is not allowed in vault ids", id))
		}
	}
	if f.output != "" && len(args) > 1 {
		return optionsError("At most one input file may be used with the --output option")
	}
	return nil
}

// newVaultCmd is `gossible vault`, ansible-vault's subcommands.
func newVaultCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vault",
		Short: "encryption/decryption utility for Ansible data files (ansible-vault)",
		Long: `gossible vault reads and writes Ansible Vault files and strings, compatible
with ansible-vault in both directions. Secrets come from --vault-password-file
(an executable file is run and its stdout used), --vault-id label@source
(source: a file or "prompt"), --ask-vault-pass, or ANSIBLE_VAULT_PASSWORD_FILE
and ANSIBLE_VAULT_IDENTITY_LIST.`,
		SilenceUsage: true,
	}
	cmd.AddCommand(
		vaultSub("create", "Create new vault encrypted file", "file_name", (*vaultFlags).encryptIDFlag, vaultCreate),
		vaultSub("decrypt", "Decrypt vault encrypted file", "file_name...", (*vaultFlags).outputFlag, vaultDecrypt),
		vaultSub("edit", "Edit vault encrypted file", "file_name...", (*vaultFlags).encryptIDFlag, vaultEdit),
		vaultSub("view", "View vault encrypted file", "file_name...", nil, vaultView),
		vaultSub("encrypt", "Encrypt YAML file", "file_name...", func(f *vaultFlags, fl *pflag.FlagSet) {
			f.outputFlag(fl)
			f.encryptIDFlag(fl)
		}, vaultEncrypt),
		vaultSub("encrypt_string", "Encrypt a string", "string_to_encrypt...", func(f *vaultFlags, fl *pflag.FlagSet) {
			f.outputFlag(fl)
			f.encryptIDFlag(fl)
			fl.BoolVarP(&f.prompt, "prompt", "p", false, "Prompt for the string to encrypt")
			fl.BoolVar(&f.showInput, "show-input", false, "Do not hide input when prompted for the string to encrypt")
			fl.VarP(appendValue{&f.names}, "name", "n", "Specify the variable name")
			fl.StringVar(&f.stdinName, "stdin-name", "", "Specify the variable name for stdin")
		}, vaultEncryptString),
		vaultSub("rekey", "Re-key a vault encrypted file", "file_name...", func(f *vaultFlags, fl *pflag.FlagSet) {
			f.encryptIDFlag(fl)
			fl.StringVar(&f.newPasswordFile, "new-vault-password-file", "", "new vault password file for rekey")
			fl.StringVar(&f.newID, "new-vault-id", "", "the new vault identity to use for rekey")
		}, vaultRekey),
	)
	return cmd
}

// vaultRun is one subcommand's work, given its flags and arguments.
type vaultRun func(cmd *cobra.Command, f *vaultFlags, args []string) error

func vaultSub(name, short, argsUse string, extra func(*vaultFlags, *pflag.FlagSet), run vaultRun) *cobra.Command {
	f := &vaultFlags{}
	cmd := &cobra.Command{
		Use:   name + " [flags] [" + argsUse + "]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(cmd, args); err != nil {
				return err
			}
			return run(cmd, f, args)
		},
	}
	f.common(cmd.Flags())
	if extra != nil {
		extra(f, cmd.Flags())
	}
	return cmd
}

// secretOptions builds the secret sources from the flags and Ansible's
// environment variables.
func (f *vaultFlags) secretOptions(cmd *cobra.Command, newPassword bool) vault.Options {
	var ids []string
	for _, id := range strings.Split(os.Getenv("ANSIBLE_VAULT_IDENTITY_LIST"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	files := append([]string(nil), f.passwordFiles...)
	if pf := os.Getenv("ANSIBLE_VAULT_PASSWORD_FILE"); pf != "" {
		files = append(files, pf)
	}
	return vault.Options{
		IDs:           append(ids, f.ids...),
		PasswordFiles: files,
		AskVaultPass:  f.askPass,
		AutoPrompt:    true,
		NewPassword:   newPassword,
		Prompt:        vaultPrompt,
		Warn: func(msg string) {
			fmt.Fprintf(cmd.ErrOrStderr(), "[WARNING]: %s\n", msg)
		},
	}
}

// decryptSecrets are the secrets of decrypt, view, edit and rekey.
func (f *vaultFlags) decryptSecrets(cmd *cobra.Command) ([]vault.Secret, error) {
	secrets, err := f.secretOptions(cmd, false).Load()
	if err != nil {
		return nil, fail(err)
	}
	if len(secrets) == 0 {
		return nil, optionsError("A vault password is required to use Ansible's Vault")
	}
	return secrets, nil
}

// encryptSecret picks the one secret encrypt, create and encrypt_string
// use: the only one, or the one --encrypt-vault-id names.
func (f *vaultFlags) encryptSecret(cmd *cobra.Command) (vault.Secret, error) {
	secrets, err := f.secretOptions(cmd, true).Load()
	if err != nil {
		return vault.Secret{}, fail(err)
	}
	encryptID := f.encryptID
	if encryptID == "" {
		encryptID = os.Getenv("ANSIBLE_VAULT_ENCRYPT_IDENTITY")
	}
	if len(secrets) > 1 && encryptID == "" {
		return vault.Secret{}, optionsError(fmt.Sprintf("The vault-ids %s are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id", strings.Join(secretIDs(secrets), ",")))
	}
	if len(secrets) == 0 {
		return vault.Secret{}, optionsError("A vault password is required to use Ansible's Vault")
	}
	return matchEncryptSecret(secrets, encryptID)
}

func matchEncryptSecret(secrets []vault.Secret, id string) (vault.Secret, error) {
	if id == "" {
		return secrets[0], nil
	}
	for _, s := range secrets {
		if s.ID == id {
			return s, nil
		}
	}
	quoted := make([]string, 0, len(secrets))
	for _, i := range secretIDs(secrets) {
		quoted = append(quoted, "'"+i+"'")
	}
	return vault.Secret{}, fail(fmt.Errorf("Did not find a match for --encrypt-vault-id=%s in the known vault-ids [%s]", id, strings.Join(quoted, ", ")))
}

// secretIDs lists the ids of secrets in order, as Ansible's messages do.
func secretIDs(secrets []vault.Secret) []string {
	ids := make([]string, 0, len(secrets))
	for _, s := range secrets {
		ids = append(ids, s.ID)
	}
	return ids
}

func vaultEncrypt(cmd *cobra.Command, f *vaultFlags, args []string) error {
	secret, err := f.encryptSecret(cmd)
	if err != nil {
		return err
	}
	return convertFiles(cmd, f, args, "plaintext", "Encryption", func(data []byte, _ string) ([]byte, error) {
		out, err := vault.Encrypt(data, secret.Password, secret.ID)
		if err != nil {
			return nil, fail(err)
		}
		return out, nil
	})
}

func vaultDecrypt(cmd *cobra.Command, f *vaultFlags, args []string) error {
	secrets, err := f.decryptSecrets(cmd)
	if err != nil {
		return err
	}
	return convertFiles(cmd, f, args, "ciphertext", "Decryption", func(data []byte, src string) ([]byte, error) {
		return decryptNamed(data, secrets, src)
	})
}

// convertFiles passes each named file (stdin when none) through conv and
// writes the result back, or to --output; input and verb word the messages
// ("Reading plaintext input from stdin", "Encryption successful").
func convertFiles(cmd *cobra.Command, f *vaultFlags, args []string, input, verb string, conv func(data []byte, src string) ([]byte, error)) error {
	if len(args) == 0 && isTerminal(cmd.InOrStdin()) {
		fmt.Fprintln(cmd.ErrOrStderr(), "Reading "+input+" input from stdin")
	}
	for _, name := range orStdin(args) {
		src := realPath(name)
		data, err := readSource(cmd, src)
		if err != nil {
			return err
		}
		out, err := conv(data, src)
		if err != nil {
			return err
		}
		if err := writeResult(cmd, out, firstNonEmpty(f.output, src)); err != nil {
			return err
		}
	}
	if isTerminal(cmd.OutOrStdout()) {
		fmt.Fprintln(cmd.ErrOrStderr(), verb+" successful")
	}
	return nil
}

func vaultView(cmd *cobra.Command, f *vaultFlags, args []string) error {
	secrets, err := f.decryptSecrets(cmd)
	if err != nil {
		return err
	}
	for _, name := range args {
		data, err := readSource(cmd, name)
		if err != nil {
			return err
		}
		pt, err := decryptNamed(data, secrets, name)
		if err != nil {
			return err
		}
		if !bytes.HasSuffix(pt, []byte("\n")) {
			pt = append(pt, '\n')
		}
		if err := page(cmd, pt); err != nil {
			return err
		}
	}
	return nil
}

func vaultCreate(cmd *cobra.Command, f *vaultFlags, args []string) error {
	if len(args) != 1 {
		return optionsError("ansible-vault create can take only one filename argument")
	}
	secret, err := f.encryptSecret(cmd)
	if err != nil {
		return err
	}
	name := args[0]
	if dir := filepath.Dir(name); dir != "." {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(cmd.ErrOrStderr(), "[WARNING]: %s does not exist, creating...\n", dir)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return fail(fmt.Errorf("create %s: %w", dir, err))
			}
		}
	}
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
		return fail(fmt.Errorf("%s exists, please use 'edit' instead", name))
	}
	return editAndSave(cmd, name, nil, true, secret)
}

func vaultEdit(cmd *cobra.Command, f *vaultFlags, args []string) error {
	secrets, err := f.decryptSecrets(cmd)
	if err != nil {
		return err
	}
	for _, name := range args {
		src := realPath(name)
		data, err := readSource(cmd, src)
		if err != nil {
			return err
		}
		pt, used, err := vault.DecryptWithSecret(data, secrets)
		if err != nil {
			return fail(fmt.Errorf("%v for %s", err, src))
		}
		env, err := vault.ParseEnvelope(data)
		if err != nil {
			return fail(fmt.Errorf("%v for %s", err, src))
		}
		// Keep the file's vault id (and so its format version).
		if err := editAndSave(cmd, src, pt, false, vault.Secret{ID: env.VaultID, Password: used.Password}); err != nil {
			return err
		}
	}
	return nil
}

func vaultRekey(cmd *cobra.Command, f *vaultFlags, args []string) error {
	secrets, err := f.decryptSecrets(cmd)
	if err != nil {
		return err
	}
	o := f.secretOptions(cmd, true)
	o.IDs, o.PasswordFiles = nil, nil
	if f.newID != "" {
		o.IDs = []string{f.newID}
	}
	if f.newPasswordFile != "" {
		o.PasswordFiles = []string{f.newPasswordFile}
	}
	newSecrets, err := o.Load()
	if err != nil {
		return fail(err)
	}
	if len(newSecrets) == 0 {
		return optionsError("A new vault password is required to use Ansible's Vault rekey")
	}
	newSecret, err := matchEncryptSecret(newSecrets, f.encryptID)
	if err != nil {
		return err
	}
	for _, name := range args {
		src := realPath(name)
		data, err := readSource(cmd, src)
		if err != nil {
			return err
		}
		pt, err := vault.Decrypt(data, secrets)
		if err != nil {
			return fail(fmt.Errorf("%v for %s", err, src))
		}
		out, err := vault.Encrypt(pt, newSecret.Password, newSecret.ID)
		if err != nil {
			return fail(err)
		}
		if err := writeFileAtomic(src, out); err != nil {
			return fail(err)
		}
	}
	fmt.Fprintln(cmd.ErrOrStderr(), "Rekey successful")
	return nil
}

// decryptNamed decrypts data read from name with Ansible's wording:
// "<error> on <name> for <name>".
func decryptNamed(data []byte, secrets []vault.Secret, name string) ([]byte, error) {
	if !vault.IsEncrypted(data) {
		return nil, fail(fmt.Errorf("input is not vault encrypted data. %s is not a vault encrypted file for %s", name, name))
	}
	pt, err := vault.Decrypt(data, secrets)
	if err == nil {
		return pt, nil
	}
	if errors.Is(err, vault.ErrWrongPassword) {
		return nil, fail(fmt.Errorf("%v on %s for %s", err, name, name))
	}
	return nil, fail(fmt.Errorf("%v for %s", err, name))
}

// encrypt_string sources, as named in its delimiter comments.
const (
	fromStdin  = "stdin"
	fromArgs   = "the command line args"
	fromPrompt = "the interactive prompt"
)

type plainString struct {
	text       []byte
	from, name string
}

func vaultEncryptString(cmd *cobra.Command, f *vaultFlags, args []string) error {
	readStdin := len(args) == 0 || f.stdinName != ""
	var rest []string
	for _, a := range args {
		if a == "-" {
			readStdin = true
			continue
		}
		rest = append(rest, a)
	}
	if f.prompt && readStdin {
		return optionsError("The --prompt option is not supported if also reading input from stdin")
	}
	secret, err := f.encryptSecret(cmd)
	if err != nil {
		return err
	}
	var plains []plainString
	if f.prompt {
		p, err := promptString(cmd, f.showInput)
		if err != nil {
			return err
		}
		plains = append(plains, p)
	}
	if readStdin {
		if isTerminal(cmd.OutOrStdout()) {
			fmt.Fprintln(cmd.ErrOrStderr(), "Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)")
		}
		in, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return fail(fmt.Errorf("read stdin: %w", err))
		}
		if len(in) == 0 {
			return optionsError("stdin was empty, not encrypting")
		}
		plains = append(plains, plainString{text: in, from: fromStdin, name: f.stdinName})
	}
	if len(f.names) > 0 && len(rest) > len(f.names) {
		fmt.Fprintln(cmd.ErrOrStderr(), "The number of --name options do not match the number of args.")
		fmt.Fprintf(cmd.ErrOrStderr(), "The last named variable will be \"%s\". The rest will not have names.\n", f.names[len(f.names)-1])
	}
	for i, a := range rest {
		if a == "" {
			return optionsError("The plaintext provided from the command line args was empty, not encrypting")
		}
		p := plainString{text: []byte(a), from: fromArgs}
		if i < len(f.names) {
			p.name = f.names[i]
		}
		plains = append(plains, p)
	}
	outs := make([]string, 0, len(plains))
	for i, p := range plains {
		v, err := vault.Encrypt(p.text, secret.Password, secret.ID)
		if err != nil {
			return fail(err)
		}
		if len(plains) > 1 {
			if p.name != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "# The encrypted version of variable (\"%s\", the string #%d from %s).\n", p.name, i+1, p.from)
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "# The encrypted version of the string #%d from %s.)\n", i+1, p.from)
			}
		}
		outs = append(outs, vault.FormatYAML(v, p.name))
	}
	if err := writeResult(cmd, []byte(strings.Join(outs, "\n")), firstNonEmpty(f.output, "-")); err != nil {
		return err
	}
	if isTerminal(cmd.OutOrStdout()) {
		fmt.Fprintln(cmd.ErrOrStderr(), "Encryption successful")
	}
	return nil
}

// promptString is encrypt_string --prompt: a variable name, then the
// string (hidden unless --show-input).
func promptString(cmd *cobra.Command, show bool) (plainString, error) {
	name, err := readLine(cmd, "Variable name (enter for no name): ")
	if err != nil {
		return plainString{}, err
	}
	var text []byte
	if show {
		s, err := readLine(cmd, "String to encrypt:")
		if err != nil {
			return plainString{}, err
		}
		text = []byte(s)
	} else if text, err = vaultPrompt("String to encrypt (hidden): "); err != nil {
		return plainString{}, fail(err)
	}
	if len(text) == 0 {
		return plainString{}, optionsError("The plaintext provided from the prompt was empty, not encrypting")
	}
	return plainString{text: text, from: fromPrompt, name: name}, nil
}

// readLine shows prompt on stderr and reads one line from stdin.
func readLine(cmd *cobra.Command, prompt string) (string, error) {
	fmt.Fprint(cmd.ErrOrStderr(), prompt)
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := cmd.InOrStdin().Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				break
			}
			return "", fail(fmt.Errorf("read %q: %w", strings.TrimSpace(prompt), err))
		}
	}
	return strings.TrimRight(string(line), "\r"), nil
}

// editAndSave runs $EDITOR on a private temp copy of plaintext and, if the
// text changed (always for create), encrypts it into name.
func editAndSave(cmd *cobra.Command, name string, plaintext []byte, force bool, secret vault.Secret) error {
	tmp, err := os.CreateTemp("", "gossible-vault-*"+filepath.Ext(name))
	if err != nil {
		return fail(fmt.Errorf("create temporary file: %w", err))
	}
	tmpName := tmp.Name()
	defer shred(tmpName)
	_, werr := tmp.Write(plaintext)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fail(fmt.Errorf("write temporary file: %w", werr))
	}
	editor := strings.Fields(os.Getenv("EDITOR"))
	if len(editor) == 0 {
		editor = []string{"vi"}
	}
	ed := exec.CommandContext(cmd.Context(), editor[0], append(editor[1:], tmpName)...)
	ed.Stdin, ed.Stdout, ed.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := ed.Run(); err != nil {
		return fail(fmt.Errorf("Unable to execute the command \"%s\": %v", strings.Join(append(editor, tmpName), " "), err))
	}
	edited, err := os.ReadFile(tmpName)
	if err != nil {
		return fail(fmt.Errorf("read edited file: %w", err))
	}
	if !force && bytes.Equal(edited, plaintext) {
		return nil
	}
	out, err := vault.Encrypt(edited, secret.Password, secret.ID)
	if err != nil {
		return fail(err)
	}
	return fail0(writeFileAtomic(name, out))
}

// shred overwrites a plaintext temp file before removing it.
func shred(name string) {
	if st, err := os.Stat(name); err == nil {
		_ = os.WriteFile(name, make([]byte, st.Size()), 0o600)
	}
	_ = os.Remove(name)
}

// page shows text through $PAGER or less when stdout is a terminal, as
// ansible-vault view does, else writes it.
func page(cmd *cobra.Command, text []byte) error {
	out := cmd.OutOrStdout()
	if isTerminal(out) {
		pager := os.Getenv("PAGER")
		if pager == "" {
			if _, err := exec.LookPath("less"); err == nil {
				pager = "less"
			}
		}
		if pager != "" {
			p := exec.CommandContext(cmd.Context(), "/bin/sh", "-c", pager)
			p.Stdin, p.Stdout, p.Stderr = bytes.NewReader(text), out, cmd.ErrOrStderr()
			if os.Getenv("LESS") == "" {
				p.Env = append(os.Environ(), "LESS=FRSX")
			}
			if err := p.Run(); err == nil {
				return nil
			}
		}
	}
	_, err := out.Write(text)
	return err
}

// orStdin is args, or "-" (stdin) when there are none.
func orStdin(args []string) []string {
	if len(args) == 0 {
		return []string{"-"}
	}
	return args
}

// realPath follows symlinks so in-place writes replace the target, as
// ansible-vault does; "-" and missing files pass through.
func realPath(name string) string {
	if name == "-" {
		return name
	}
	if p, err := filepath.EvalSymlinks(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	return name
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func readSource(cmd *cobra.Command, name string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(cmd.InOrStdin())
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fail(fmt.Errorf("Unable to read source file (%s): %w", name, err))
	}
	return data, nil
}

// writeResult writes data to stdout for "-", else atomically to name.
func writeResult(cmd *cobra.Command, data []byte, name string) error {
	if name == "-" {
		_, err := cmd.OutOrStdout().Write(data)
		return fail0(err)
	}
	return fail0(writeFileAtomic(name, data))
}

// writeFileAtomic replaces name through a temp file in its directory and
// a rename, so a crash leaves the old or the new file, never half of one.
// An existing file keeps its mode; a new one is 0600 (it may hold secrets).
func writeFileAtomic(name string, data []byte) error {
	mode := os.FileMode(0o600)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("Problem creating temporary vault file: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("Unable to write to temporary vault file: %w", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("set mode of %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("Unable to write to temporary vault file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("Unable to write to temporary vault file: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("replace %s: %w", name, err)
	}
	done = true
	return nil
}

// fail0 is fail that keeps nil.
func fail0(err error) error {
	if err == nil {
		return nil
	}
	return fail(err)
}
