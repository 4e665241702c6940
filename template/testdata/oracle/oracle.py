#!/usr/bin/env python3
"""Evaluate the template corpus with ansible-core's own Templar and print golden JSON.

Usage: oracle.py corpus.yaml > golden.json
Each case is one of: template (Templar.template), expr (a bare expression, evaluated as
"{{ expr }}"), cond (a when: condition, Conditional.evaluate_conditional).
"""
import json
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


def run(case, base_vars):
    variables = dict(base_vars)
    variables.update(case.get("vars") or {})
    loader = DataLoader()
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
        return {"name": case["name"], "ok": False, "error": error_text(e)}
    return {"name": case["name"], "ok": True, "type": type_name(v), "value": plain(v)}


def main():
    with open(sys.argv[1]) as f:
        corpus = yaml.safe_load(f)
    base = corpus.get("vars") or {}
    out = [run(c, base) for c in corpus["cases"]]
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
