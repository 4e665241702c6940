package template

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/inventory"
)

// varnames, random_choice and inventory_hostnames; and the ansible-core lookups gossible does not have, which
// fail saying so (whatever errors= says) rather than "not found".

func init() {
	registerLookup(lookupVarnames, "varnames")
	registerLookup(lookupRandomChoice, "random_choice")
	registerLookup(lookupInventoryHostnames, "inventory_hostnames")
}

// unsupportedLookups ship with ansible-core 2.14 but not with gossible.
var unsupportedLookups = map[string]bool{
	"config": true, "csvfile": true, "ini": true, "url": true,
}

func unsupportedLookup(name string) error {
	return &LookupError{Plugin: name, Msg: fmt.Sprintf("the lookup plugin '%s' is not supported by gossible", name)}
}

func lookupVarnames(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	names := lc.s.Names()
	sort.Strings(names) // Go maps keep no definition order
	var out []any
	for _, t := range terms {
		term, ok := t.(string)
		if !ok {
			return nil, errf("Invalid setting identifier, \"%s\" is not a string, it is a <class '%s'>", pyStr(t), typeName(t))
		}
		re, err := regexp.Compile(term)
		if err != nil {
			return nil, errf("Unable to use \"%s\" as a search parameter: %v", term, err)
		}
		for _, n := range names {
			if re.MatchString(n) {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

func lookupRandomChoice(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	if len(terms) == 0 {
		return terms, nil
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(terms))))
	if err != nil {
		return nil, errf("Unable to choose random term: %v", err)
	}
	return []any{terms[n.Int64()]}, nil
}

// lookupInventoryHostnames is Ansible's inventory_hostnames: the terms are
// host patterns (a list is their union), evaluated against an inventory
// rebuilt from the `groups` variable; a pattern error gives no hosts.
func lookupInventoryHostnames(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	v, ok, err := lc.s.lookupPlain("groups", lc.chain)
	if err != nil {
		return nil, err
	}
	gm, _ := v.(map[string]any)
	if !ok || gm == nil {
		return nil, errf("'groups' is undefined")
	}
	groups := make(map[string][]string, len(gm))
	for name, members := range gm {
		l, _ := members.([]any)
		hs := make([]string, 0, len(l))
		for _, m := range l {
			hs = append(hs, pyStr(m))
		}
		groups[name] = hs
	}
	patterns := make([]string, 0, len(terms))
	for _, t := range terms {
		patterns = append(patterns, pyStr(t))
	}
	hosts, err := inventory.FromGroups(keyorder.Keys(gm), groups).Select(strings.Join(patterns, ","))
	if err != nil {
		return []any{}, nil
	}
	out := make([]any, len(hosts))
	for i, h := range hosts {
		out[i] = h.Name
	}
	return out, nil
}
