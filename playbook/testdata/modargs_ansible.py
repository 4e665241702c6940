# Regenerates modargs_ansible.json from ansible-core 2.14's ModuleArgsParser
# (the oracle for TestModuleArgsMatchAnsible):
#   /usr/bin/python3 testdata/modargs_ansible.py > testdata/modargs_ansible.json
import json, yaml
from ansible.parsing.mod_args import ModuleArgsParser
cases = [
    "copy: src=a dest=b",
    "copy: {src: a, dest: b}",
    "copy: src=a dest=b\nargs: {dest: c, mode: '0644'}",
    "shell: echo hi chdir=/tmp\nargs: {creates: /x}",
    "command: ls -l warn=no",
    "action: copy src=a dest=b",
    "action: {module: copy, src: a, dest: b}",
    "action: {module: 'copy src=a', dest: b}",
    "local_action: shell echo x",
    "local_action: {module: debug, msg: hi}",
    "ping:",
    "debug: msg='hello world'",
    "ansible.builtin.shell: |\n  echo one\n  echo two",
    "meta: flush_handlers",
    "set_fact: a=1 b='x y'",
    "include_vars: file.yml",
    "raw: echo x executable=/bin/sh",
    "file: path=/tmp/x state=touch mode=0644",
]
out = []
for c in cases:
    ds = yaml.safe_load(c)
    try:
        action, args, delegate_to = ModuleArgsParser(ds).parse()
        if not isinstance(delegate_to, str):
            delegate_to = None
        out.append([c, action, args, delegate_to, None])
    except Exception as e:
        out.append([c, None, None, None, str(e)])
print(json.dumps(out, indent=1))
