"""Entry point of the packaged app (build.spec): what `python -m desktop` does, frozen.

`freeze_support()` comes first, before anything else is imported: in the frozen app every worker
process the `spawn` start method makes is this same executable, and freeze_support turns it into
that worker instead of a second copy of the app (a hang or a fork bomb otherwise).
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

    import sys

    from desktop.startup.app import main

    sys.exit(main())
