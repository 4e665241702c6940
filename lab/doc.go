// Package lab builds the gossible test-host image and runs small clusters of
// test hosts in Docker: the book's serv-disc-01..03 plus a controller "cd".
//
// Contract:
//   - The image is built without any registry (debootstrap + docker import) and
//     tagged by the hash of its recipe; an existing image is reused, a changed
//     recipe rebuilds. Builds are serialized by a file lock.
//   - Every cluster lives on its own user-defined Docker network created with
//     --internal; every name carries the cluster's prefix and every object a
//     label, so a cluster never touches containers it did not create.
//   - Before any command that talks to a host address, the network is inspected
//     and must still be internal with the expected subnet (VerifyNetwork).
//   - Hosts trust the lab's generated ed25519 key; the controller's known_hosts
//     holds each host's real keys, read with docker exec, so SSH runs with
//     StrictHostKeyChecking=yes.
//
// All Docker access goes through the docker CLI; nothing here needs the Docker
// SDK. Building the image needs root and debootstrap; running clusters needs
// only Docker (root only for nsenter, where Docker does not give containers
// on an internal network a default route itself; 20.10 does).
//
// Teardown removes containers one at a time: Debian's dockerd 20.10 can
// deadlock for good when two endpoints of one network are torn down at once
// (moby/moby#42545), after which every `docker network` call hangs.
package lab
