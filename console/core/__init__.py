"""The console engine: plain Python, no Qt. Runs headless on servers and in tests."""
