# Regenerates parse_kv_ansible.json from ansible-core 2.14 (the oracle for kv_test.go):
#   /usr/bin/python3 testdata/parse_kv_ansible.py > testdata/parse_kv_ansible.json
import json
from ansible.parsing.splitter import parse_kv
cases = [
 ("src=a dest=b", False),
 ("src='a b' dest=\"c d\"", False),
 ("msg='{{ x }} y'", False),
 ("msg={{ a | default('x y') }} other=1", False),
 ("echo hello  world", True),
 ("echo {{ x }} chdir=/tmp creates=/f", True),
 ("echo a=b c", True),
 ("ls -l\nls -a", True),
 ("ls -l \\\n -a", True),
 ("path=\"a\\\"b\"", False),
 ("a\\=b", True),
 ("x=1\\ny", False),
 ("msg=\"hello\\tworld\"", False),
 ("{% if x %}a{% endif %} b=c", True),
 ("echo 'it''s' ok", True),
 ("k = v", False),
 ("=x", True),
 ("a= b", False),
 (" echo x", True),
 ("echo x ", True),
 ("msg=\"a {{ b }}\" c", False),
 ("cmd \"quoted  spaces\" tail", True),
 ("line1\n\nline3", True),
 ("x=\\u00e9\\x41", False),
 ("src=\"a dest=b", False),
 ("msg={{ x", False),
 ("msg={{ x }}}}", False),
 ("echo \"a 'b\" c", True),
 ("a='x' b='y'z", False),
 ("mode=0644 owner=root", False),
 ("echo  two  spaces", True),
 ("cat <<EOF\nhello {{ x }}\nEOF\n", True),
 ("free text only", False),
]
out=[]
for s, raw in cases:
    try:
        out.append([s, raw, parse_kv(s, check_raw=raw), None])
    except Exception as e:
        out.append([s, raw, None, str(e)])
print(json.dumps(out, ensure_ascii=False))
