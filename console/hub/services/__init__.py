"""The hub's services: what the command line and the IOC window call (Qt-free).

Each writes to or reads the hub database through the hub store; the running hub
delivers what they write (the database is the integration point).
"""
