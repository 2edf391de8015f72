"""The district console's domain: ingest validation, ring buffers, feed states, alarms.

Plain Python and numpy: no Qt, no SQL, no sockets. Runs in tests on a
simulated clock.
"""
