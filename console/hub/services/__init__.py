"""What the IOC window (and later the IOC's commands) use: Qt-free reads of the hub database."""
