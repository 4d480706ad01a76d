"""`python -m desktop`: open Concurrency Lab."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop.startup.app import main

    sys.exit(main())
