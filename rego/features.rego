# Dangerous features (server file access, deliberate delays) are denied for
# everyone; the list and the reasons are in dangerous_features.
package agentgate

deny contains msg if {
	some feature in statement_features
	msg := sprintf("dangerous_feature: %s %s", [label(feature), cfg.dangerous_features[feature]])
}
