"""The live layer (see the package docstring for the layers)."""
