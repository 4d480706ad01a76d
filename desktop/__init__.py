"""Concurrency Lab's Qt desktop app."""
