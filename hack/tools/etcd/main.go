// Command etcd builds the etcd server from the Go module proxy for the local
// control plane used by tests and `make run-local`.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
