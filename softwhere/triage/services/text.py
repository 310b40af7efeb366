"""Text normalisation shared by the classifier features and the entity extractor.

Requests arrive with and without accents, in any case, with typographic
apostrophes and numbers everywhere; folding them keeps "débit" and "debit"
on the same features and stops phone numbers or IPs from becoming vocabulary.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'", "‘": "'", "«": '"', "»": '"', "–": "-", "—": "-"})
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase and strip accents (é → e, ç → c, œ → oe), keeping everything else."""
    text = text.translate(_APOSTROPHES).replace("œ", "oe").replace("Œ", "OE")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def for_features(text: str) -> str:
    """Folded text with every digit run collapsed to "0" (ports, numbers and addresses are not topics)."""
    return _SPACES.sub(" ", _DIGITS.sub("0", fold(text))).strip()
