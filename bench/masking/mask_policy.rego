# The masking benchmark's policy (bench/masking.sh), served beside the shipped bundle under its own root.
# A token with the claim mask=true gets two columns of maskbench.people masked (email keeps its domain, ssn
# its last 4 characters); any other token reads them in clear. Cacheable by digest, as a real policy that
# reads only the statement's facts would be. The session decision at login (command type "connect") allows:
# masks apply to statements.
package agentgate_bench_mask

masks := {
	"maskbench.people.email": {"strategy": "email"},
	"maskbench.people.ssn": {"strategy": "partial", "params": {"keep_last": 4}},
}

decision := {
	"action": "mask",
	"reason": "bench: email and ssn masked",
	"masks": masks,
	"cache_ttl_s": 300,
	"cache_key": "digest",
	"version": 1,
} if {
	input.command.type != "connect"
	input.identity.claims.mask in {true, "true"}
} else := {
	"action": "allow",
	"reason": "bench: unmasked",
	"cache_ttl_s": 300,
	"cache_key": "digest",
	"version": 1,
}
