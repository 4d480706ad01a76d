"""Start-up: the app, its command-line flags, the self-test, the packaged build, error reports."""
