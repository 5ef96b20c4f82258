"""``python -m emulator`` does what ``appsync-emulator`` does."""

import sys

from emulator.cli import main

sys.exit(main())
