"""`python -m scenarios`: the headless command line."""

import multiprocessing
import sys

from scenarios.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
