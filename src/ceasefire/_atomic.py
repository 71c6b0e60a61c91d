"""Write output files all-or-nothing.

Outputs are written to hidden temporary files next to their targets and moved
into place only when every one of them has been written, so an error or an
interruption never leaves a partial file behind, nor replaces a good one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["atomic_outputs"]


@contextlib.contextmanager
def atomic_outputs(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield temporary paths for ``targets``; move them into place if the block succeeds."""
    temporaries: list[Path] = []
    created: list[Path] = []
    try:
        for target in targets:
            parent = target.parent
            if not parent.exists():
                parent.mkdir(parents=True)
                created.append(parent)
            # Keep the target's extension last: writers that choose a format by extension
            # (matplotlib) then write the right one.
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=parent
            )
            os.close(handle)
            temporaries.append(Path(name))
        yield temporaries
        # mkstemp creates files readable by their owner only; give them the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
        temporaries = []
    finally:
        for temporary in temporaries:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        if temporaries:
            for parent in reversed(created):
                with contextlib.suppress(OSError):
                    parent.rmdir()
