// Command validate checks rendered Kubernetes manifests offline: every document must decode strictly
// (no unknown or duplicate fields, right types) into the API type its apiVersion and kind name, and
// the references inside a workload must hold (selectors match the pod labels, probes name declared
// ports, mounts name declared volumes or volume claim templates, a StatefulSet names its service). It
// reads `helm template` output on stdin.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

func main() {
	extract := flag.String("configmap-key", "", "print the value of NAME/KEY of a ConfigMap instead (after validating)")
	flag.Parse()
	input, err := io.ReadAll(bufio.NewReader(os.Stdin))
	if err != nil {
		fail("reading stdin: %v", err)
	}
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	problems, count := []string{}, 0
	var extracted *string
	for _, doc := range splitDocuments(input) {
		object, kind, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", firstLine(doc), err))
			continue
		}
		count++
		if configMap, ok := object.(*corev1.ConfigMap); ok && *extract != "" {
			if name, key, _ := strings.Cut(*extract, "/"); name == configMap.Name {
				value, found := configMap.Data[key]
				if !found {
					fail("ConfigMap %s has no key %s", name, key)
				}
				extracted = &value
			}
		}
		if deployment, ok := object.(*appsv1.Deployment); ok {
			for _, p := range checkPodTemplate(deployment.Spec.Selector, deployment.Spec.Template, nil) {
				problems = append(problems, fmt.Sprintf("%s %s: %s", kind.Kind, deployment.Name, p))
			}
		}
		if set, ok := object.(*appsv1.StatefulSet); ok {
			for _, p := range checkStatefulSet(set) {
				problems = append(problems, fmt.Sprintf("%s %s: %s", kind.Kind, set.Name, p))
			}
		}
	}
	if count == 0 {
		problems = append(problems, "no manifests on stdin")
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "invalid:", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	if *extract != "" {
		if extracted == nil {
			fail("no ConfigMap key %s in the manifests", *extract)
		}
		fmt.Print(*extracted)
		return
	}
	fmt.Printf("%d manifests valid\n", count)
}

func splitDocuments(input []byte) [][]byte {
	var docs [][]byte
	for _, part := range bytes.Split(input, []byte("\n---")) {
		var probe map[string]interface{}
		if err := yaml.Unmarshal(part, &probe); err != nil || len(probe) == 0 {
			if err != nil {
				docs = append(docs, part) // let the decoder report it
			}
			continue
		}
		docs = append(docs, part)
	}
	return docs
}

// checkStatefulSet adds what only a StatefulSet has: its governing service, and volume claim templates that
// the pods mount like volumes but must not also declare as one.
func checkStatefulSet(set *appsv1.StatefulSet) []string {
	var problems []string
	if set.Spec.ServiceName == "" {
		problems = append(problems, "no serviceName (the headless service that names its pods)")
	}
	claims := map[string]bool{}
	for _, claim := range set.Spec.VolumeClaimTemplates {
		claims[claim.Name] = true
		if _, sized := claim.Spec.Resources.Requests[corev1.ResourceStorage]; !sized {
			problems = append(problems, fmt.Sprintf("volume claim template %q requests no storage", claim.Name))
		}
	}
	for _, v := range set.Spec.Template.Spec.Volumes {
		if claims[v.Name] {
			problems = append(problems, fmt.Sprintf("volume %q is both a pod volume and a volume claim template", v.Name))
		}
	}
	return append(problems, checkPodTemplate(set.Spec.Selector, set.Spec.Template, claims)...)
}

func checkPodTemplate(selector *metav1.LabelSelector, template corev1.PodTemplateSpec, claims map[string]bool) []string {
	var problems []string
	spec := template.Spec
	for key, value := range selector.MatchLabels {
		if template.Labels[key] != value {
			problems = append(problems, fmt.Sprintf("selector %s=%s does not match the pod template's labels", key, value))
		}
	}
	volumes := map[string]bool{}
	for name := range claims {
		volumes[name] = true
	}
	for _, v := range spec.Volumes {
		volumes[v.Name] = true
	}
	for _, c := range spec.Containers {
		if c.Image == "" || strings.HasSuffix(c.Image, ":") {
			problems = append(problems, fmt.Sprintf("container %s has no image tag", c.Name))
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			if len(p.Name) > 15 {
				problems = append(problems, fmt.Sprintf("container %s: port name %q is longer than 15 characters", c.Name, p.Name))
			}
			ports[p.Name] = true
		}
		for _, probe := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
			if probe != nil && probe.HTTPGet != nil && probe.HTTPGet.Port.Type == intstr.String && !ports[probe.HTTPGet.Port.StrVal] {
				problems = append(problems, fmt.Sprintf("container %s: probe port %q is not a declared port", c.Name, probe.HTTPGet.Port.StrVal))
			}
		}
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				problems = append(problems, fmt.Sprintf("container %s: mount %q names no volume", c.Name, m.Name))
			}
		}
	}
	return problems
}

func firstLine(doc []byte) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "kind:") {
			return strings.TrimSpace(line)
		}
	}
	return "document"
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}
