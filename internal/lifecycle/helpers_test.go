package lifecycle_test

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

type corev1LocalRef = corev1.LocalObjectReference

func ptrTo[T any](v T) *T { return &v }

func equalStatus(a, b *v1.ComplaintStatus) bool { return equality.Semantic.DeepEqual(a, b) }

func metaTime(s string) metav1.Time { return metav1.NewTime(ts(s)) }
