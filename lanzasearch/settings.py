"""Settings read from the environment, with a clear error for a value that cannot be used."""

from __future__ import annotations

import os
from typing import Callable, TypeVar

from .errors import ConfigError

Number = TypeVar("Number", int, float)

_UNITS = {int: "a whole number", float: "a number"}


def env_number(name: str, default: Number, cast: Callable[[str], Number], unit: str = "") -> Number:
    """``$name`` as a number (``cast`` is int or float); ``default`` when unset or blank.

    Raises ``ConfigError`` naming the variable when the value is not a number
    or not above zero.
    """
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    what = f"{_UNITS.get(cast, 'a number')}{f' of {unit}' if unit else ''}"
    try:
        value = cast(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not {what}: set it to {what} above zero, or unset it") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be above zero: set it to {what} above zero, or unset it")
    return value


def env_choice(name: str, choices: tuple[str, ...]) -> str | None:
    """``$name`` when set, checked against ``choices``; None when unset or blank."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        raise ConfigError(f"{name}={raw!r}: use one of {', '.join(choices)}, or unset it")
    return raw
