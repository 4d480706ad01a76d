"""The deck's own examples as plain scripts (no lab), timed for bench.fidelity."""
