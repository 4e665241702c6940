"""Differential-test oracle: asks the installed ansible-core the questions
of every test case in one Python process (one ansible-inventory run per
question would take minutes on a busy machine).

stdin: JSON list of cases {name, sources, playbook, patterns, graphs,
hosts, all_hosts}. stdout: JSON {case name: {output file: text}} or
{case name: {"error": text}}. Run with the working directory and
ANSIBLE_CONFIG set by the Go test (an empty directory and config).
"""
import contextlib
import io
import json
import sys

from ansible.cli.inventory import InventoryCLI
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader


def inventory_cli(args):
    """ansible-inventory ARGS, in-process; returns what it prints."""
    # the parsed command line is a process-wide singleton: forget the last one
    GlobalCLIArgs._Singleton__instance = None
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            InventoryCLI(['ansible-inventory'] + args).run()
        except SystemExit as e:
            if e.code not in (0, None):
                raise RuntimeError('ansible-inventory %s exited %s' % (args, e.code))
    return buf.getvalue()


def case_outputs(case):
    for key in ('sources', 'patterns', 'graphs', 'hosts'):
        case[key] = case.get(key) or []
    base = []
    for s in case['sources']:
        base += ['-i', s]
    if case.get('playbook'):
        base += ['--playbook-dir', case['playbook']]
    out = {'list.json': inventory_cli(base + ['--list'])}
    if case['all_hosts'] or case['graphs'] or case['name'] == 'chapter':
        out['graph.txt'] = inventory_cli(base + ['--graph'])
    for g in case['graphs']:
        out['graph-%s.txt' % g] = inventory_cli(base + ['--graph', g])
    hosts = case['hosts'] if case['all_hosts'] else case['hosts'][:1]
    for h in hosts:
        out['host-%s.json' % h.replace(':', '_').replace('/', '_')] = inventory_cli(base + ['--host', h])

    # What a play's `hosts:` selects (ansible_play_hosts_all uses the same
    # InventoryManager.get_hosts call) and the groups/group_names magic vars.
    inv = InventoryManager(loader=DataLoader(), sources=case['sources'])
    out['patterns'] = {p: [h.name for h in inv.get_hosts([p])] for p in case['patterns']}
    out['groups'] = inv.get_groups_dict()
    out['group_names'] = {h.name: h.get_vars()['group_names'] for h in inv.get_hosts('all')}
    return out


def main():
    result = {}
    for case in json.load(sys.stdin):
        try:
            result[case['name']] = case_outputs(case)
        except Exception as e:  # report, let the Go test fail with it
            result[case['name']] = {'error': '%s: %s' % (type(e).__name__, e)}
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main()
