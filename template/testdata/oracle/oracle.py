#!/usr/bin/env python3
"""Evaluate the template corpus with ansible-core's own Templar and print golden JSON.

Usage: oracle.py corpus.yaml [--basedir DIR] > golden.json
With --basedir (the lookup corpus), DIR is the loader's basedir and the playbook_dir
variable, "@LOOKUP@" in the corpus stands for DIR's absolute path (and DIR's absolute path
in results is written back as "@LOOKUP@"), and the corpus's env: map is set in the
environment first.
Each case is one of: template (Templar.template), expr (a bare expression, evaluated as
"{{ expr }}"), cond (a when: condition, Conditional.evaluate_conditional).
"""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")

import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.conditional import Conditional
from ansible.template import Templar
from ansible.utils.display import Display

Display().verbosity = -1


def plain(v):
    """Turn ansible's wrapped types into JSON-able plain values."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [plain(x) for x in v]
    if isinstance(v, (bool, int, float, type(None))):
        return v
    return str(v)


def type_name(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    if isinstance(v, (list, tuple)):
        return "list"
    if isinstance(v, dict):
        return "dict"
    if v is None:
        return "NoneType"
    return type(v).__name__


def error_text(e):
    # AnsibleError.message repeats the wrapped exception's text; _message is the message
    # alone, which is what gossible's errors carry.
    return str(getattr(e, "_message", None) or e)


BASEDIR = None


def subst(v, old, new):
    """Replace old by new in every string inside v."""
    if isinstance(v, dict):
        return {k: subst(x, old, new) for k, x in v.items()}
    if isinstance(v, list):
        return [subst(x, old, new) for x in v]
    if isinstance(v, str):
        return v.replace(old, new)
    return v


def run(case, base_vars):
    variables = dict(base_vars)
    variables.update(case.get("vars") or {})
    loader = DataLoader()
    if BASEDIR:
        loader.set_basedir(BASEDIR)
        variables = subst(variables, "@LOOKUP@", BASEDIR)
        variables.setdefault("playbook_dir", BASEDIR)
        case = subst(case, "@LOOKUP@", BASEDIR)
    templar = Templar(loader=loader, variables=variables)
    try:
        if "template" in case:
            v = templar.template(case["template"])
        elif "expr" in case:
            # Engine.Eval is "{{ expr }}" (debug var= wraps a bare variable the same way)
            v = templar.template("{{ %s }}" % case["expr"])
        elif "cond" in case:
            c = Conditional(loader=loader)
            c.when = [case["cond"]]
            v = c.evaluate_conditional(templar, variables)
        else:
            raise SystemExit("case %s has no template/expr/cond" % case["name"])
    except Exception as e:  # the error text is the expected result
        out = {"name": case["name"], "ok": False, "error": error_text(e)}
    else:
        out = {"name": case["name"], "ok": True, "type": type_name(v), "value": plain(v)}
    if BASEDIR:
        out = subst(out, BASEDIR, "@LOOKUP@")
    return out


def main():
    global BASEDIR
    if len(sys.argv) == 4 and sys.argv[2] == "--basedir":
        BASEDIR = os.path.abspath(sys.argv[3])
    with open(sys.argv[1]) as f:
        corpus = yaml.safe_load(f)
    for k, v in (corpus.get("env") or {}).items():
        os.environ[k] = str(v)
    base = corpus.get("vars") or {}
    out = [run(c, base) for c in corpus["cases"]]
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
