"""Settings for the whole suite: Qt draws offscreen, so tests need no display.

The offscreen screen is a desktop's 1920×1080 (Qt's own is 800×800), so the window opens at its
own size, as on a desktop, instead of being fitted to a tiny screen.
"""

import os
from pathlib import Path

SCREEN = Path(__file__).with_name("screens") / "wide.json"

if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
