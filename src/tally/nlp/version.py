"""The name every claim carries of the rules that made it."""
from tally import __version__

PIPELINE = f"tally-rules-{__version__}"
