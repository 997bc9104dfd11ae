import sys

from antt.cli import main

sys.exit(main())
