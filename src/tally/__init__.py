"""tally: who claims how many were killed, wounded, kidnapped, arrested, released or attacked."""
import logging

__version__ = "0.1.0"

# The library only logs; the CLI decides what is shown.
logging.getLogger(__name__).addHandler(logging.NullHandler())
