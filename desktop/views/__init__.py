"""The window's views, each named after what it shows."""
