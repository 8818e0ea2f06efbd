# The benchmark's allow-all policies, served beside the shipped bundle (package outside its
# "agentgate" root). Both read the input like a real policy would, so OPA parses and evaluates it.
#   data.agentgate_bench.allow         allow, not cacheable: the gateway asks OPA for every statement
#   data.agentgate_bench.allow_cached  allow, cacheable for 300 s by digest (literals do not matter)
package agentgate_bench

allow := {
	"action": "allow",
	"reason": sprintf("bench: allow-all lets %v run %v", [input.identity.subject, input.statement.type]),
	"rules": ["bench"],
	"version": 1,
}

allow_cached := object.union(allow, {"cache_ttl_s": 300, "cache_key": "digest"})
