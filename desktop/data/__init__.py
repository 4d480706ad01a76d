"""The run data the views draw, and the run files and history (no Qt)."""
