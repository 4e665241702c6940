package agent

import (
	"errors"
	"net/rpc"
	"reflect"
	"strings"
)

// call dispatches an RPC to this server's own endpoints without a
// network hop, keeping the same error shape as remote calls.
func (s *server) call(method string, args, reply any) error {
	svc, name, ok := strings.Cut(method, ".")
	if !ok {
		return errors.New("rpc: bad method " + method)
	}
	var ep any
	switch svc {
	case "KVS":
		ep = &kvsEndpoint{s}
	case "Status":
		ep = &statusEndpoint{s}
	case "Session":
		ep = &sessionEndpoint{s}
	case "Txn":
		ep = &txnEndpoint{s}
	default:
		return errors.New("rpc: can't find service " + method)
	}
	m := reflect.ValueOf(ep).MethodByName(name)
	if !m.IsValid() {
		return errors.New("rpc: can't find method " + method)
	}
	out := m.Call([]reflect.Value{reflect.ValueOf(args), reflect.ValueOf(reply)})
	if err, _ := out[0].Interface().(error); err != nil {
		return unwrapServerError(err)
	}
	return nil
}

// unwrapServerError turns net/rpc's string errors back into plain errors
// so messages read the same wherever the call ran.
func unwrapServerError(err error) error {
	var se rpc.ServerError
	if errors.As(err, &se) {
		if string(se) == ErrNoLeader.Error() {
			return ErrNoLeader
		}
		return errors.New(string(se))
	}
	return err
}
