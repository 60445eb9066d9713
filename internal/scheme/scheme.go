// Package scheme builds the runtime scheme every Redress binary and test uses:
// the built-in Kubernetes kinds plus complaints.redress.dev/v1alpha1.
package scheme

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	redressv1alpha1 "github.com/redress-operator/redress/api/v1alpha1"
)

// New returns a scheme with the built-in kinds and Redress's kinds.
func New() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(redressv1alpha1.AddToScheme(s))
	return s
}
