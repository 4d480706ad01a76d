"""Concurrency Lab's Qt-free engine and lessons."""
