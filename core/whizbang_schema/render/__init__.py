"""The render layer (see the package docstring for the layers)."""
