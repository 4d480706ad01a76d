"""`python -m scenarios`: the headless command line."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # here, not above: a spawned child imports this module again, and needs none of the CLI
    from scenarios.cli import main

    sys.exit(main())
