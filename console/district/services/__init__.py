"""Application services of the district console: what the window, CLIs and benches call."""
