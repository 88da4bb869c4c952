"""Build the report site: `python build.py --help` lists the options."""

import sys
from pathlib import Path

from reportsite.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
