package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Labels put on every object of a cluster.
const (
	LabelCluster  = "gossible.lab"          // the cluster's network name
	LabelRole     = "gossible.lab.role"     // "host" or "controller"
	LabelHostname = "gossible.lab.hostname" // serv-disc-01, cd
	LabelIP       = "gossible.lab.ip"       // the container's fixed address
)

// ErrNotInternal means a network is missing, not internal, or not the lab's:
// nothing may be sent to its addresses.
var ErrNotInternal = errors.New("lab network is not a safe internal network")

// ErrExists means Up was asked for a fresh cluster and the network's name
// or subnet is already taken.
var ErrExists = errors.New("lab network name or subnet already in use")

// ErrNotUp means no cluster with that name exists.
var ErrNotUp = errors.New("lab is not up")

type networkInfo struct {
	Name     string
	Internal bool
	Labels   map[string]string
	IPAM     struct {
		Config []struct {
			Subnet  string
			Gateway string
		}
	}
}

// inspectNetwork reads a network by exact name; ok is false when there is
// none. One docker call: Exec verifies the network before every command.
func inspectNetwork(ctx context.Context, name string) (*networkInfo, bool, error) {
	out, err := docker(ctx, "network", "inspect", "--format", "{{json .}}", name)
	if err != nil {
		if strings.Contains(err.Error(), "No such network") || strings.Contains(err.Error(), "not found") {
			return nil, false, nil
		}
		return nil, false, err
	}
	var n networkInfo
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		return nil, false, fmt.Errorf("decode docker network inspect %s: %w", name, err)
	}
	if n.Name != name { // docker also matches ID prefixes
		return nil, false, nil
	}
	return &n, true, nil
}

// VerifyNetwork checks that the named network exists, was created by the lab,
// is internal (no route off the machine) and has the expected subnet. Every
// function that makes traffic towards host addresses calls it first.
func VerifyNetwork(ctx context.Context, name, subnet string) error {
	n, ok, err := inspectNetwork(ctx, name)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: network %s does not exist", ErrNotInternal, name)
	}
	return checkNetwork(n, name, subnet)
}

func checkNetwork(n *networkInfo, name, subnet string) error {
	if !n.Internal {
		return fmt.Errorf("%w: network %s has Internal=false", ErrNotInternal, name)
	}
	if n.Labels[LabelCluster] != name {
		return fmt.Errorf("%w: network %s lacks label %s=%s (not created by the lab)", ErrNotInternal, name, LabelCluster, name)
	}
	var subnets []string
	for _, c := range n.IPAM.Config {
		subnets = append(subnets, c.Subnet)
	}
	if len(subnets) != 1 || subnets[0] != subnet {
		return fmt.Errorf("%w: network %s has subnets %s, want %s", ErrNotInternal, name, strings.Join(subnets, ","), subnet)
	}
	return nil
}

// createNetwork makes the cluster's internal network.
func createNetwork(ctx context.Context, o Options) error {
	args := []string{"network", "create", "--driver", "bridge", "--internal",
		"--subnet", o.Subnet, "--gateway", o.gateway(),
		"--label", LabelCluster + "=" + o.Network}
	for k, v := range o.Labels {
		args = append(args, "--label", k+"="+v)
	}
	args = append(args, o.Network)
	if _, err := docker(ctx, args...); err != nil {
		if strings.Contains(err.Error(), "overlaps") || strings.Contains(err.Error(), "already exists") {
			return fmt.Errorf("create lab network: %w: %v", ErrExists, err)
		}
		return fmt.Errorf("create lab network: %w", err)
	}
	return nil
}
