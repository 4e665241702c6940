# Regenerates the golden-*.vault files with ansible-core's own VaultLib and
# a fixed salt (ansible-vault's CLI always draws a random one).
# Run: /usr/bin/python3 make-golden.py  (Debian's ansible package)
from ansible.parsing.vault import VaultLib, VaultSecret

SALT = b"gossible-golden-salt-0123456789ab"
for plain, out, pw, vid in [
    ("plain-multiline.txt", "golden-v11-multiline.vault", b"secret1", None),
    ("plain-utf8.txt", "golden-v12-prod-utf8.vault", b"prodpw", "prod"),
]:
    data = open(plain, "rb").read()
    vaulted = VaultLib().encrypt(data, VaultSecret(pw), vault_id=vid, salt=SALT)
    open(out, "wb").write(vaulted)
