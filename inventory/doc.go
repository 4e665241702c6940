// Package inventory loads Ansible inventories and answers the questions the
// executor and the CLI ask of them, matching ansible-core 2.14.
//
// Contract:
//   - Load parses INI and YAML inventory files, directories of them and
//     "h1,h2," host lists, with the same plugin order, host-range expansion,
//     value typing (Python literals in INI, YAML 1.1 in YAML) and implicit
//     all/ungrouped groups as Ansible. group_vars/ and host_vars/ beside each
//     source are loaded; AddVarsDir adds the playbook-adjacent ones.
//   - Select resolves host patterns in Ansible's order; Groups and GroupNames
//     give the `groups` and `group_names` magic variables; VarLayers gives a
//     host's variable layers from lowest to highest precedence, values kept
//     raw (templates are not evaluated here).
//   - A group_vars/host_vars file that cannot be read (a wrong vault
//     password, a YAML error) is not a Load error: VarsError reports it for
//     the hosts it is for, when the caller needs their variables, as
//     Ansible's vars plugin does when a play starts.
//   - ListJSON, Graph and HostJSON print exactly what ansible-inventory
//     --list, --graph and --host print.
//   - A source that cannot be parsed is a *ParseError (file:line[:col], the
//     offending line and a hint). Ansible itself only warns and goes on;
//     Load returns the inventory built from the other sources together with
//     the error, so the CLI can choose either behaviour. Warnings lists what
//     Ansible would print as [WARNING] while loading.
//
// After Load and AddVarsDir the inventory changes only through AddHost and
// GroupBy (add_host, group_by); its other methods are safe for concurrent
// use, but not concurrently with those, which the caller serializes. Maps in Host.Vars and VarLayers are shared: callers
// must not modify them.
//
// Deliberate differences from ansible-core 2.14:
//   - a host range that yields no host ([3:1]) is an error; Ansible
//     silently defines no host;
//   - inventory scripts, inventory plugin configs (plugin: key) and toml
//     inventories are refused with an explicit error;
//   - vaulted inventory files and group_vars/host_vars files are decrypted
//     at load (LoadWith's secrets), not each time a play reads them; !vault
//     values stay encrypted until used (*vault.Value);
//   - !unsafe values become plain strings; Python sets and tuples become
//     lists; INI values Ansible cannot print as JSON (complex numbers,
//     integers beyond 64 bits) stay raw strings; ~regex patterns use Go's
//     RE2 syntax;
//   - below the second level of a group tree Ansible orders host lists
//     through a Python set (not reproducible from run to run); here the
//     order is always breadth first in definition order;
//   - YAML syntax errors carry the line of the fault but no column.
package inventory
