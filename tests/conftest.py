"""Settings for the whole suite: Qt draws offscreen, so tests need no display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
