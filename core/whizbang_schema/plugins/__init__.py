"""The plugins layer (see the package docstring for the layers)."""
