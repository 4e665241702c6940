package vault

import (
	"bytes"
	"fmt"
	"strings"
)

// Header starts every vault envelope.
const Header = "$ANSIBLE_VAULT"

// DefaultID is the vault id of secrets given without a label; data
// encrypted with it uses format 1.1, which carries no id.
const DefaultID = "default"

// CipherAES256 is the only cipher Ansible writes and reads today.
const CipherAES256 = "AES256"

// lineWidth is the column the hex body is wrapped at.
const lineWidth = 80

// Envelope is a parsed vault file or value: its header fields and the hex
// body with the line breaks removed.
type Envelope struct {
	Version string // "1.1" or "1.2"
	Cipher  string // "AES256"
	VaultID string // from a 1.2 header; DefaultID otherwise
	Body    []byte // hex text, not yet decoded
}

// IsEncrypted reports whether data is vault-encrypted: ASCII text that
// starts with the vault header, the test Ansible applies.
func IsEncrypted(data []byte) bool {
	if !bytes.HasPrefix(data, []byte(Header)) {
		return false
	}
	for _, c := range data {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// ParseEnvelope splits data into header fields and body. Leading and
// trailing whitespace of every line is tolerated, as YAML block scalars and
// hand edits leave it.
func ParseEnvelope(data []byte) (*Envelope, error) {
	if !IsEncrypted(data) {
		return nil, ErrNotEncrypted
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	fields := strings.Split(strings.TrimSpace(lines[0]), ";")
	if len(fields) < 3 {
		return nil, &FormatError{Msg: fmt.Sprintf("vault envelope format error: header %q needs at least 3 ';'-separated fields", strings.TrimSpace(lines[0]))}
	}
	if strings.TrimSpace(fields[0]) != Header {
		return nil, &FormatError{Msg: fmt.Sprintf("vault envelope format error: header %q does not start with %s;", strings.TrimSpace(lines[0]), Header)}
	}
	env := &Envelope{
		Version: strings.TrimSpace(fields[1]),
		Cipher:  strings.TrimSpace(fields[2]),
		VaultID: DefaultID,
	}
	if len(fields) >= 4 {
		env.VaultID = strings.TrimSpace(fields[3])
	}
	var body bytes.Buffer
	for _, l := range lines[1:] {
		body.WriteString(strings.TrimSpace(l))
	}
	env.Body = body.Bytes()
	return env, nil
}

// formatEnvelope builds the header for vaultID (1.2 when it is set and not
// DefaultID) and wraps the hex body at 80 columns.
func formatEnvelope(body []byte, vaultID string) []byte {
	var b bytes.Buffer
	b.WriteString(Header)
	if vaultID != "" && vaultID != DefaultID {
		b.WriteString(";1.2;" + CipherAES256 + ";" + vaultID)
	} else {
		b.WriteString(";1.1;" + CipherAES256)
	}
	b.WriteByte('\n')
	for i := 0; i < len(body); i += lineWidth {
		end := min(i+lineWidth, len(body))
		b.Write(body[i:end])
		b.WriteByte('\n')
	}
	return b.Bytes()
}
