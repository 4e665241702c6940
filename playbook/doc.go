// Package playbook loads playbooks and roles from YAML into plays and tasks,
// validating every keyword strictly, as ansible-core 2.14 reads them.
//
// Contract:
//   - Load and LoadTasksFile return *Error for anything wrong in the files:
//     Ansible's wording and layout (file, line, column, the offending line
//     with a "^ here" marker) plus a hint such as "did you mean 'hosts'?".
//     Unknown keywords and modules are errors; valid Ansible keywords that
//     gossible does not implement are errors naming them ("gossible does not
//     support the play keyword 'order' yet"), never silently ignored.
//   - Scalars are read with YAML 1.1 (PyYAML) rules: yes/no/on/off are
//     booleans, 0644 is octal. Duplicate keys are warnings
//     (Playbook.Warnings), the last value winning.
//   - Nothing is templated and nothing runs: values that Ansible templates
//     stay raw strings for the executor. Module arguments are merged here
//     (args:, then the module's own), free-form text is "_raw_params".
//   - Roles are found and loaded (defaults, vars, tasks, handlers, meta
//     dependencies) once per Load; files/ and templates/ are the executor's,
//     through Role.Path.
//   - Static inclusion happens here: import_playbook entries are replaced by
//     the imported plays (their vars under the play's, tags and when added),
//     import_tasks and import_role become blocks (Task.Imported) of the
//     imported tasks, which inherit the import's keywords. Dynamic ones stay
//     tasks for the executor: include_tasks (file found at run time with
//     FindTasksFile, apply: in Task.Apply), include_role (role and its
//     *_from variant resolved now, in Task.RoleInclude) and include_vars.
//   - Listing and ShouldRun give --list-tasks/--list-tags output and the
//     tag selection rules.
package playbook
