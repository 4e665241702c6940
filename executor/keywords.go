package executor

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/template"
	"github.com/gossible/gossible/transport"
)

// taskKeywords are a task's resolved keywords on one host: task over its
// blocks over the play over the command line and config, and connection
// variables over all of them (Ansible's precedence for these).
type taskKeywords struct {
	ignoreErrors bool
	// ignoreUnreachable: an unreachable result counts as ignored and the
	// host stays in the play.
	ignoreUnreachable bool
	noLog             bool
	check             bool
	diff              bool
	env               map[string]string

	conn string
	// delegateConnVar: the delegated host defines ansible_connection.
	delegateConnVar bool
	cfg             transport.Config
	become          *transport.Become
	// target is the host the connection goes to: the host itself, or the
	// delegate of delegate_to.
	target   string
	delegate string
}

// ignores says a result of this status is ignored: a failure under
// ignore_errors, an unreachable host under ignore_unreachable.
func (kw *taskKeywords) ignores(st Status) bool {
	return (st == StatusFailed && kw.ignoreErrors) || (st == StatusUnreachable && kw.ignoreUnreachable)
}

func (r *runner) keywords(pc *playCtx, n *node, sc *template.Scope) (*taskKeywords, error) {
	play := pc.play
	kw := &taskKeywords{check: r.opts.Check, diff: r.opts.Diff}
	if play.IgnoreErrors != nil {
		kw.ignoreErrors = *play.IgnoreErrors
	}
	if play.IgnoreUnreachable != nil {
		kw.ignoreUnreachable = *play.IgnoreUnreachable
	}
	if play.CheckMode != nil {
		kw.check = *play.CheckMode
	}
	noLog := play.NoLog
	become := r.opts.Become
	becomeUser, becomeMethod := r.opts.BecomeUser, r.opts.BecomeMethod
	if play.Become != nil {
		become = *play.Become
	}
	if play.BecomeUser != "" {
		becomeUser = play.BecomeUser
	}
	if play.BecomeMethod != "" {
		becomeMethod = play.BecomeMethod
	}
	envs := []any{play.Environment}
	for _, t := range n.chain() {
		if t.IgnoreErrors != nil {
			kw.ignoreErrors = *t.IgnoreErrors
		}
		if t.IgnoreUnreachable != nil {
			kw.ignoreUnreachable = *t.IgnoreUnreachable
		}
		if t.CheckMode != nil {
			kw.check = *t.CheckMode
		}
		if t.Diff != nil {
			kw.diff = *t.Diff
		}
		if t.NoLog != nil {
			noLog = t.NoLog
		}
		if t.Become != nil {
			become = *t.Become
		}
		if t.BecomeUser != "" {
			becomeUser = t.BecomeUser
		}
		if t.BecomeMethod != "" {
			becomeMethod = t.BecomeMethod
		}
		envs = append(envs, t.Environment)
	}
	if noLog != nil {
		ok, err := r.engine.Cond(noLog, sc)
		if err != nil {
			return nil, err
		}
		kw.noLog = ok
	}
	env, err := r.environment(envs, sc)
	if err != nil {
		return nil, err
	}
	kw.env = env

	// Connection settings: variables win over keywords.
	kw.conn = r.opts.Connection
	if play.Connection != "" {
		kw.conn = play.Connection
	}
	user := r.opts.RemoteUser
	if play.RemoteUser != "" {
		user = play.RemoteUser
	}
	str := func(dst *string, names ...string) error {
		for _, name := range names {
			v, ok, err := sc.Lookup(name)
			if err != nil {
				return err
			}
			if ok && v != nil {
				*dst = fmt.Sprint(v)
				return nil
			}
		}
		return nil
	}
	if err := firstErr(
		str(&kw.conn, "ansible_connection"),
		str(&user, "ansible_user", "ansible_ssh_user"),
		str(&becomeUser, "ansible_become_user"),
		str(&becomeMethod, "ansible_become_method"),
	); err != nil {
		return nil, err
	}
	if kw.conn == "" {
		kw.conn = "ssh"
	}
	for _, s := range []*string{&user, &becomeUser, &becomeMethod} {
		if template.IsTemplate(*s) {
			v, err := r.engine.RenderString(*s, sc)
			if err != nil {
				return nil, err
			}
			*s = v
		}
	}
	if v, ok, err := sc.Lookup("ansible_become"); err != nil {
		return nil, err
	} else if ok {
		b, err := r.engine.Cond(v, sc)
		if err != nil {
			return nil, err
		}
		become = b
	}
	host := ""
	cfg := transport.Config{
		User:            user,
		Password:        r.opts.Password,
		HostKeyChecking: r.opts.HostKeyChecking,
		Timeout:         r.opts.Timeout,
	}
	if r.opts.PrivateKeyFile != "" {
		cfg.PrivateKeyFiles = []string{r.opts.PrivateKeyFile}
	}
	var port, key, hkc string
	if err := firstErr(
		str(&host, "ansible_host", "ansible_ssh_host"),
		str(&port, "ansible_port", "ansible_ssh_port"),
		str(&cfg.Password, "ansible_password", "ansible_ssh_pass"),
		str(&key, "ansible_ssh_private_key_file", "ansible_private_key_file"),
		str(&hkc, "ansible_host_key_checking", "ansible_ssh_host_key_checking"),
	); err != nil {
		return nil, err
	}
	if host == "" {
		if v, ok, _ := sc.Lookup("inventory_hostname"); ok {
			host = fmt.Sprint(v)
		}
	}
	cfg.Host = host
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("invalid ansible_port %q: expected a number", port)
		}
		cfg.Port = p
	}
	if key != "" {
		cfg.PrivateKeyFiles = []string{key}
	}
	if hkc != "" {
		b, err := r.engine.Cond(hkc, sc)
		if err == nil {
			cfg.HostKeyChecking = b
		}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	kw.cfg = cfg
	if v, ok, _ := sc.Lookup("inventory_hostname"); ok {
		kw.target = fmt.Sprint(v)
	}
	if become {
		b := &transport.Become{Method: becomeMethod, User: becomeUser, Password: r.opts.BecomePassword}
		if b.User == "" {
			b.User = "root"
		}
		if b.Method == "" {
			b.Method = "sudo"
		}
		if err := firstErr(
			str(&b.Password, "ansible_become_password", "ansible_become_pass"),
			str(&b.Flags, "ansible_become_flags"),
		); err != nil {
			return nil, err
		}
		kw.become = b
	}
	return kw, nil
}

// environment merges the play's and the blocks' and task's environment:
// later (inner) values win. Each must render to a mapping.
func (r *runner) environment(envs []any, sc *template.Scope) (map[string]string, error) {
	var out map[string]string
	for _, e := range envs {
		if e == nil {
			continue
		}
		v, err := r.engine.Render(e, sc)
		if err != nil {
			return nil, err
		}
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for _, item := range list {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("environment must be a dictionary, received %v (%T)", item, item)
			}
			if out == nil {
				out = map[string]string{}
			}
			for k, val := range m {
				if template.IsOmit(val) {
					continue
				}
				out[k] = fmt.Sprint(pyStr(val))
			}
		}
	}
	return out, nil
}

func pyStr(v any) any {
	switch t := v.(type) {
	case bool:
		if t {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	return v
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// delegate points the task's connection at delegate_to's host: its
// connection variables (from the inventory) replace the host's; everything
// else stays the task's on the original host.
func (r *runner) delegate(pc *playCtx, n *node, sc *template.Scope, kw *taskKeywords) error {
	name, err := r.engine.RenderString(n.task.DelegateTo, sc)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	kw.delegate = name
	kw.target = name
	h := readState(r, func() *inventory.Host { h, _ := r.inv.Host(name); return h })
	if h == nil {
		if name == "localhost" || name == "127.0.0.1" {
			// Ansible's implicit localhost: a local connection.
			kw.conn = "local"
			kw.cfg.Host = name
			return nil
		}
		kw.cfg.Host = name
		kw.cfg.Port = 0
		return nil
	}
	hs := readState(r, func() *hostState { return r.hosts[h.Name] })
	if hs == nil {
		return fmt.Errorf("delegate_to host %s has no state", name)
	}
	dsc := r.scope(pc, hs, n)
	dkw, err := r.keywords(pc, n, dsc)
	if err != nil {
		return err
	}
	kw.conn, kw.cfg = dkw.conn, dkw.cfg
	// Ansible's delegated vars show the delegated host's own connection
	// variable when it has one.
	kw.delegateConnVar = dsc.Has("ansible_connection")
	return nil
}
