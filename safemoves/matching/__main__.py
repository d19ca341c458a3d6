"""``python -m safemoves.matching [match] IN.json -o OUT.json``."""

import sys

from .cli import main

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["match"]:
        arguments = arguments[1:]
    sys.exit(main(arguments))
