"""Find the user's municipality of Kreis Paderborn from a name, district, postal code, spelling or script.

``resolve(text, lang=None)`` returns a ``Resolution``; the data is ``gazetteer.yml`` next to this file.
The index is built on first use (no I/O at import time).
"""

from bot.municipality.gazetteer import GazetteerError, load_index
from bot.municipality.resolver import CONFIDENT, NOT_FOUND, Resolution, resolve


def municipalities() -> tuple[str, ...]:
    """The canonical names of the municipalities of the Kreis."""
    return tuple(load_index().municipalities)


__all__ = ["CONFIDENT", "NOT_FOUND", "GazetteerError", "Resolution", "municipalities", "resolve"]
