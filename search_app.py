"""`python search_app.py` is `lanzasearch serve`: the Gradio interface on http://127.0.0.1:7860."""

import sys

from lanzasearch.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
