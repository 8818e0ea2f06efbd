{{/* Names and labels shared by every template. */}}
{{- define "agentgate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "agentgate.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "agentgate.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{/* The bundle service the OPA sidecars poll: the configured URL, else the in-cluster bundle server. */}}
{{- define "agentgate.bundleServiceUrl" -}}
{{- if .Values.opa.bundleServiceUrl -}}
{{- .Values.opa.bundleServiceUrl -}}
{{- else if .Values.bundleServer.enabled -}}
{{- printf "http://%s-bundles" (include "agentgate.fullname" .) -}}
{{- else -}}
{{- fail "opa.bundleServiceUrl is empty and bundleServer.enabled is false: the OPA sidecars would have no policy, and every statement would be denied" -}}
{{- end -}}
{{- end -}}
