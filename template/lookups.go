package template

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Lookup plugins (lookup, query, q) are not implemented yet; calling one is an error
// naming the plugin rather than a confusing "not callable".
var lookupGlobals = map[string]any{
	"lookup": unsupportedLookup,
	"query":  unsupportedLookup,
	"q":      unsupportedLookup,
}

func unsupportedLookup(ev *exec.Evaluator, args *exec.VarArgs) (any, error) {
	name := "?"
	if len(args.Args) > 0 {
		name = args.Args[0].String()
	}
	err := fmt.Errorf("lookup plugin '%s' is not supported by gossible yet", name)
	stateOf(ev).record(err)
	return nil, err
}
