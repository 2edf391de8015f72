"""Reusable Qt widgets (trend plot, tile, alarm table, link lamp, map).

No application state here: widgets take data through setters and report user
actions through signals, so they are tested with fake data and no engine.
The operator-window issue fills this package.
"""
