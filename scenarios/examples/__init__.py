"""The lecture deck's own programs, verbatim, to run traced in the lab (File → Examples)."""
