"""The model layer (see the package docstring for the layers)."""
