# Redress: the two commands a new user needs are `make run-local` and `make test`.
# Every tool is built from the Go module proxy into bin/, keyed by version, so a
# second run costs nothing and nothing is needed on the machine but Go.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c

KUBERNETES_VERSION ?= 1.37.2
ETCD_VERSION ?= 3.7.3
CONTROLLER_TOOLS_VERSION ?= v0.23.0
HELM_VERSION ?= v3.22.0

ROOT := $(CURDIR)
BIN := $(ROOT)/bin
# envtest reads kube-apiserver, etcd (and kubectl) from KUBEBUILDER_ASSETS.
ENVTEST_ASSETS := $(BIN)/k8s/$(KUBERNETES_VERSION)-etcd-$(ETCD_VERSION)
CONTROLLER_GEN := $(BIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
HELM := $(BIN)/helm-$(HELM_VERSION)
KUBECTL ?= kubectl

GO_TEST_FLAGS ?= -count=1
export KUBEBUILDER_ASSETS := $(ENVTEST_ASSETS)
export REDRESS_HELM := $(HELM)

.PHONY: all
all: build

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from the markers.
	$(CONTROLLER_GEN) rbac:roleName=redress-manager crd:allowDangerousTypes=false paths="./api/..." paths="./controllers/..." paths="./internal/..." \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./api/..."

.PHONY: fmt
fmt:
	go fmt ./...

.PHONY: vet
vet:
	go vet ./...

.PHONY: build
build: ## Build the manager and the kubectl plugin into bin/.
	go build -o $(BIN)/manager ./cmd/manager
	go build -o $(BIN)/kubectl-complaint ./cmd/kubectl-complaint

.PHONY: test
test: envtest-assets $(HELM) chromium vet ## Run every test against a real API server (built on first use).
	go test $(GO_TEST_FLAGS) ./...

.PHONY: run-local
run-local: envtest-assets build ## Run Redress on a local etcd and kube-apiserver.
	go build -o $(BIN)/runlocal ./hack/runlocal
	$(BIN)/runlocal

##@ Tools

.PHONY: envtest-assets
envtest-assets: $(ENVTEST_ASSETS)/kube-apiserver $(ENVTEST_ASSETS)/etcd $(ENVTEST_ASSETS)/kubectl

# kube-apiserver and etcd are built from source via the hack/tools module.
$(ENVTEST_ASSETS)/kube-apiserver:
	@mkdir -p $(ENVTEST_ASSETS)
	@echo "building kube-apiserver $(KUBERNETES_VERSION) from the module proxy (first run only, a few minutes)"
	cd hack/tools && CGO_ENABLED=0 go build -trimpath -o $@.tmp \
		-ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$(KUBERNETES_VERSION) -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37" \
		./kube-apiserver
	mv $@.tmp $@

$(ENVTEST_ASSETS)/etcd:
	@mkdir -p $(ENVTEST_ASSETS)
	@echo "building etcd $(ETCD_VERSION) from the module proxy (first run only)"
	cd hack/tools && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o $@.tmp ./etcd
	mv $@.tmp $@

# envtest's kubectl helper wants a kubectl beside the binaries; use the machine's.
$(ENVTEST_ASSETS)/kubectl:
	@mkdir -p $(ENVTEST_ASSETS)
	ln -sf "$$(command -v $(KUBECTL))" $@

$(CONTROLLER_GEN):
	@mkdir -p $(BIN)/.gobin-controller-gen
	GOBIN=$(BIN)/.gobin-controller-gen go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
	mv $(BIN)/.gobin-controller-gen/controller-gen $@

$(HELM):
	@mkdir -p $(BIN)/.gobin-helm
	GOBIN=$(BIN)/.gobin-helm go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mv $(BIN)/.gobin-helm/helm $@

.PHONY: tools
tools: envtest-assets $(CONTROLLER_GEN) $(HELM)

.PHONY: verify-generated
verify-generated: manifests generate ## Fail when generated files differ from the committed ones.
	@git diff --exit-code -- api config || { echo "generated files are stale: run 'make manifests generate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api config)" || { git status --porcelain -- api config; echo "untracked generated files: commit them"; exit 1; }

.PHONY: help
help:
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-18s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

##@ Packaging

IMG ?= ghcr.io/redress-operator/redress:dev

.PHONY: chart-crds
chart-crds: ## Copy config/crd/bases and the manager's RBAC rules (config/rbac/role.yaml) into charts/redress.
	go run ./hack/chartgen

.PHONY: verify-chart
verify-chart: ## Fail when charts/redress is out of step with config/ (run after `make manifests`).
	go run ./hack/chartgen -check

.PHONY: helm-lint
helm-lint: $(HELM) ## Lint the Helm chart.
	$(HELM) lint --strict charts/redress

.PHONY: docker-build
docker-build: ## Build the manager image (needs a container engine; none on the dev machines).
	docker build -t $(IMG) .

# The intake end-to-end test drives the public form in headless Chromium
# (Debian's package); install it when it is missing.
.PHONY: chromium
chromium: ## Install Chromium for the intake browser test when it is missing.
	@command -v chromium >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

##@ Benchmark

BENCH_CASES ?= 10000

# The driver (test/bench, a program, not a test) builds ./cmd/manager into
# bin/bench, starts the control plane with internal/testenv and runs the
# manager as its own process. Its last line of output is one JSON object.
# See docs/performance.md.
.PHONY: bench
bench: envtest-assets ## Benchmark the manager on a real control plane (BENCH_CASES=10000); prints a table, then JSON.
	BENCH_CASES=$(BENCH_CASES) go run ./test/bench
