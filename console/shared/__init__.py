"""What both products stand on: typed link records, vocabularies, clock, errors, SQL helpers.

No Qt, no product code: the district console and the city hub import this,
never each other.
"""
