import sys

from conference.cli import main

sys.exit(main())
