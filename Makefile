# gossible: build, test, lint, bench, and the built-in lab.
# `make test` is the test command CI runs (.ci/run); it needs Docker and,
# once, root + debootstrap to build the test-host image (`make deps`).

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# Static binaries: gossible runs in the lab's controller container, consul is
# copied onto the hosts by the playbook.
BUILD   := CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)'
TESTFLAGS ?= -race -timeout 30m
BENCHFLAGS ?= -run '^$$' -bench . -benchtime 1x
# Debian packages the tests use: image build, ansible as the reference
# implementation, sshd/ssh, dig and curl, vagrant for the Vagrantfile test.
APT_DEPS := debootstrap ansible openssh-server openssh-client dnsutils curl vagrant

.PHONY: all build gossible consul test test-unit lint bench deps image \
	lab-up lab-run lab-status lab-down demo clean

all: build

build: gossible consul

gossible:
	$(BUILD) -o bin/gossible ./cmd/gossible

consul:
	$(BUILD) -o roles/consul/files/consul ./cmd/consul

# Installs only what is missing (needs root; apt-get update only then).
deps:
	@missing=""; for p in $(APT_DEPS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi

# The test-host image (debootstrap, ~1-2 min the first time; reused after).
image: deps
	$(GO) run ./internal/testhosts/buildimage

# Every test, the Docker ones included (they fail rather than skip with CI=true).
test: lint image build
	$(GO) test $(TESTFLAGS) ./...

# Tests without building anything first; Docker tests skip if the image is absent.
test-unit:
	$(GO) test -race ./...

lint:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test $(BENCHFLAGS) ./...

# The built-in lab: serv-disc-01..03 + controller cd on 10.100.194.0/24.
lab-up: build
	bin/gossible lab up

lab-run: build
	bin/gossible lab run

lab-status:
	bin/gossible lab status

lab-down:
	bin/gossible lab down

# The chapter end to end: hosts up, consul.yml from the controller, then
# `consul members` and the KV session with curl on serv-disc-01.
demo: deps build
	bin/gossible lab demo

clean:
	rm -rf bin roles/consul/files/consul
