# The Redress manager image: a static Go binary on distroless, run as nonroot.
# Build with `make docker-build` (or `docker build -t IMAGE .`) on a machine
# with a container engine; the development machines have none.

FROM golang:1.26 AS builder
WORKDIR /src
# Dependencies first, so source changes reuse the module layer.
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY controllers/ controllers/
COPY internal/ internal/
ARG TARGETOS=linux
ARG TARGETARCH
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w" -o /manager ./cmd/manager

FROM gcr.io/distroless/static:nonroot
LABEL org.opencontainers.image.source="https://github.com/redress-operator/redress" \
      org.opencontainers.image.description="Redress: complaints procedures on Kubernetes"
COPY --from=builder /manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
