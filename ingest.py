"""`python ingest.py …` is `lanzasearch ingest …`."""

import sys

from lanzasearch.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
