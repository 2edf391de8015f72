"""The operator window (Qt). Adapts the Qt-free engine to widgets; holds view state only."""
