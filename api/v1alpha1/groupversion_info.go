// Package v1alpha1 holds the complaints.redress.dev/v1alpha1 API: Policy (an
// organisation's complaints procedure) and Complaint (one case and its log).
// +kubebuilder:object:generate=true
// +groupName=complaints.redress.dev
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupVersion is the API group and version of every kind in this package.
var GroupVersion = schema.GroupVersion{Group: "complaints.redress.dev", Version: "v1alpha1"}

var (
	// SchemeBuilder registers this package's kinds with a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)
	// AddToScheme adds this package's kinds to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

func addKnownTypes(scheme *runtime.Scheme) error {
	scheme.AddKnownTypes(GroupVersion,
		&Policy{}, &PolicyList{},
		&Complaint{}, &ComplaintList{},
	)
	metav1.AddToGroupVersion(scheme, GroupVersion)
	return nil
}
