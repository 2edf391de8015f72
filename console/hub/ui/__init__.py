"""The IOC window: the city screen, over the hub services (never the store, SQL or sockets)."""
