"""The operator window (Qt). Talks to the services façade only; holds view state."""
