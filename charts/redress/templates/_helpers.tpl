{{/* Chart name. */}}
{{- define "redress.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-redress unless the release name already has it. */}}
{{- define "redress.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "redress.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "redress.selectorLabels" -}}
app.kubernetes.io/name: {{ include "redress.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "redress.labels" -}}
helm.sh/chart: {{ include "redress.chart" . }}
{{ include "redress.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: redress
{{- end }}

{{- define "redress.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "redress.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "redress.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Leader election: forced by leaderElection.enabled, else on when replicas > 1. */}}
{{- define "redress.leaderElect" -}}
{{- if kindIs "bool" .Values.leaderElection.enabled }}
{{- if .Values.leaderElection.enabled }}true{{ end }}
{{- else if gt (int .Values.replicas) 1 }}true
{{- end }}
{{- end }}

{{- define "redress.intakeTokenSecret" -}}
{{- if .Values.intake.token.create }}
{{- printf "%s-intake-token" (include "redress.fullname" .) }}
{{- else }}
{{- .Values.intake.token.existingSecret }}
{{- end }}
{{- end }}

{{- define "redress.intakeHMACSecret" -}}
{{- if .Values.intake.hmac.create }}
{{- printf "%s-intake-hmac" (include "redress.fullname" .) }}
{{- else }}
{{- .Values.intake.hmac.existingSecret }}
{{- end }}
{{- end }}

{{- define "redress.smtpSecret" -}}
{{- if .Values.notifications.smtp.create }}
{{- printf "%s-smtp" (include "redress.fullname" .) }}
{{- else }}
{{- .Values.notifications.smtp.existingSecret }}
{{- end }}
{{- end }}

{{- define "redress.intakeTrackingKeySecret" -}}
{{- default (printf "%s-intake-tracking-key" (include "redress.fullname" .)) .Values.intake.trackingKeySecret }}
{{- end }}

{{/* Intake runs when enabled and something can use it (the manager refuses to
start an intake nobody can reach). */}}
{{- define "redress.intakeOn" -}}
{{- if and .Values.intake.enabled (or (include "redress.intakeTokenSecret" .) (include "redress.intakeHMACSecret" .) .Values.intake.publicNamespaces) }}true{{ end }}
{{- end }}

{{- define "redress.intakeTLSSecret" -}}
{{- if .Values.intake.tls.certManager.enabled }}
{{- printf "%s-intake-tls" (include "redress.fullname" .) }}
{{- else }}
{{- .Values.intake.tls.secretName }}
{{- end }}
{{- end }}

{{- define "redress.intakeServiceName" -}}
{{- printf "%s-intake" (include "redress.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "redress.metricsServiceName" -}}
{{- printf "%s-metrics" (include "redress.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fail early on combinations the schema cannot express. */}}
{{- define "redress.validate" -}}
{{- if and .Values.intake.tls.enabled (not .Values.intake.tls.certManager.enabled) (not .Values.intake.tls.secretName) }}
{{- fail "intake.tls.enabled needs intake.tls.secretName or intake.tls.certManager.enabled" }}
{{- end }}
{{- if and .Values.intake.tls.certManager.enabled (not .Values.intake.tls.certManager.issuerRef.name) }}
{{- fail "intake.tls.certManager.enabled needs intake.tls.certManager.issuerRef.name" }}
{{- end }}
{{- if and .Values.intake.token.create .Values.intake.token.existingSecret }}
{{- fail "set either intake.token.create or intake.token.existingSecret, not both" }}
{{- end }}
{{- if and .Values.intake.hmac.create .Values.intake.hmac.existingSecret }}
{{- fail "set either intake.hmac.create or intake.hmac.existingSecret, not both" }}
{{- end }}
{{- if and .Values.notifications.smtp.create .Values.notifications.smtp.existingSecret }}
{{- fail "set either notifications.smtp.create or notifications.smtp.existingSecret, not both" }}
{{- end }}
{{- if and .Values.intake.ingress.enabled (not (include "redress.intakeOn" .)) }}
{{- fail "intake.ingress.enabled needs intake.enabled and a token Secret, an HMAC Secret or publicNamespaces" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled" }}
{{- end }}
{{- end }}
