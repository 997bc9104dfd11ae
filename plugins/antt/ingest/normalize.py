"""Text normalization the contract prescribes: header/code keys and commune-name keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Vietnamese tone marks as combining characters (NFD). Vowel-shape marks (circumflex, breve,
# horn) are not tones and stay attached to their letter.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_PAREN_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


def normalize_header(text: str) -> str:
    """`Mã xã`, `MA_XA` and ` ma xa ` → `ma_xa`: NFC, no diacritics (đ→d), lower, `_` runs."""
    # Headers and codes repeat: short ones are cached; a long (hostile) cell is not kept.
    return _normalize_cached(text) if len(text) <= 200 else _normalize(text)


@lru_cache(maxsize=4096)
def _normalize_cached(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    decomposed = decomposed.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub("_", stripped.lower()).strip("_")


def name_key(text: str) -> str:
    """A commune name compared case-insensitively and whatever the tone-mark placement.

    Each word keeps its letters (with circumflex, breve, horn) and its tone moves to the end,
    so `Hoà`/`Hòa` and `Thuỷ`/`Thủy` give the same key while `Hòa`/`Hóa` do not.
    """
    return " ".join(map(_word_key, unicodedata.normalize("NFC", text).casefold().split()))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    # Names share their syllables (`Xã`, `Phường`, `Hòa`, `An`…): one loader process checks
    # thousands of names, each word decomposed once (0.15 ms a commune before, measured).
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(sorted(c for c in decomposed if c in _TONE_MARKS))
    return "".join(c for c in decomposed if c not in _TONE_MARKS) + tones


def _type_prefix_keys() -> tuple[str, ...]:
    return tuple(name_key(prefix) + " " for prefix in ("Xã", "Phường", "Thị trấn", "Đặc khu"))


_PREFIX_KEYS = _type_prefix_keys()


def without_type_prefix(key: str) -> str:
    for prefix in _PREFIX_KEYS:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def commune_name_keys(commune_name: str, commune_name_short: str) -> frozenset[str]:
    """Every key under which `ten_xa` names this commune (full or short, with or without type)."""
    keys = set()
    for name in (commune_name, commune_name_short, _PAREN_SUFFIX.sub("", commune_name_short)):
        if name.strip():
            key = name_key(name)
            keys.add(key)
            keys.add(without_type_prefix(key))
    return frozenset(keys)


def ten_xa_matches(given: str, keys: frozenset[str]) -> bool:
    key = name_key(given)
    return key in keys or without_type_prefix(key) in keys


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
