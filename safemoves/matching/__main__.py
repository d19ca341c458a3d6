"""``python -m safemoves.matching [match] IN.json -o OUT.json``."""

import ctypes
import sys

from .cli import main

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_LARGEST = 2**31 - 1  # mallopt takes a C int


def _reuse_freed_memory() -> None:
    """For this one run, a process of its own: big arrays come from the heap instead of fresh
    mappings, and freed memory stays with the process for the next array instead of being
    unmapped and faulted in again (ADR 0027, item 13). On a dense 20,000 x 15,000 run this
    takes 0.4-1 s of system time off about 10 s, for about 5 % more peak memory. Only here, not
    in the library: a long-lived worker should give memory back. Where the C library has no
    ``mallopt`` (not glibc), nothing changes."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return
    mallopt(_M_MMAP_THRESHOLD, _LARGEST)
    mallopt(_M_TRIM_THRESHOLD, _LARGEST)
    mallopt(_M_TOP_PAD, 256 << 20)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["match"]:
        arguments = arguments[1:]
    if sys.platform.startswith("linux"):
        _reuse_freed_memory()
    sys.exit(main(arguments))
