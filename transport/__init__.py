"""Wire formats and sockets. Knows nothing of Qt, SQL or the console's state.

Everything here runs in plain threads and is tested headless.
"""
