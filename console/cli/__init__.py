"""The ``opsconsole`` command line: one entry point over both products, the demo and the benches."""
