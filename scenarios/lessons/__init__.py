"""The twenty lessons, one module each, and their catalogue (the registry, in teaching order)."""
