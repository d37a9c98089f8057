import sys

from laborwatch.cli import main

sys.exit(main())
