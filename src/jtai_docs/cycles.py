"""Python's cycle collector, paused while a stage makes many objects that live on (#11).

Reading a plan and filling the report in make a few objects per action that live to the end and hold no reference
cycles (the actions, their rows of Appendix 2). The collector's passes over them, more and more of them as they
pile up, found nothing and cost a third of the time of reading 100,000 actions."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs; where it was off already (a stage inside another), left as it is.
    Any cycles the block leaves behind are collected once it runs again."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _resume()


def _resume() -> None:
    """Turns the collector on again without its first pass walking every object made while it was off.

    All of them are still its youngest generation, so the first allocation after gc.enable() would walk them all
    (about 0.16 s after a check of 100,000 actions). Frozen and unfrozen, they move to its oldest generation
    unwalked, and are looked at again only in its next full pass, as if they had lived that long."""
    gc.freeze()
    gc.enable()
    gc.unfreeze()
