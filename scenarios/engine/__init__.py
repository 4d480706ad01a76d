"""The engine: runs a lesson on a back end and carries its events (docs/architecture.md)."""
