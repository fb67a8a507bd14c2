"""One module per control check (see generator/controls/registry.py for the order)."""
