"""The feed simulator: a stand-in for a district's sensor gateways (demo, tests, benches)."""
