"""Random streams and draws: the only place the simulation touches randomness.

**The seed.** Every stream is NumPy's PCG64 seeded by a ``SeedSequence`` whose
entropy is the seed and whose spawn key is the SHA-256 of a label naming what
the stream is for: ``year/<process id>`` (the year's estimates of one
process), ``runs/<path>`` (the runs of a process for its own frequency, or for
one calling step), ``lead/<path>`` (simulated runs for lead time). So:

* the same seed, files and NumPy release give the same figures on every
  machine: PCG64, ``SeedSequence`` and SHA-256 are defined bit for bit, draws
  are made in file order, nothing depends on hash order, and sums use NumPy's
  own reductions (never BLAS, whose results change with the thread count);
* a process's figures depend only on the seed and that process (and the
  processes it runs), not on which other processes are simulated beside it;
* a process that other processes run takes the same year's estimates in its
  own row and inside its callers: one year, one set of step times.

NumPy may change the algorithm behind a distribution between releases (its
policy for ``Generator``); figures stay the same for one NumPy release.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from .prepared import Pert

__all__ = ["Floats", "Ints", "draw", "negative_binomial", "stream"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def stream(seed: int, *label: str) -> np.random.Generator:
    """An independent generator for ``label``, reproducible from ``seed`` alone."""
    digest = hashlib.sha256("/".join(label).encode("utf-8")).digest()
    key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, len(digest), 4))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def draw(estimate: Pert, rng: np.random.Generator, size: int) -> Floats:
    """``size`` draws of a PERT-Beta estimate; a single value is returned as is, drawing nothing."""
    if estimate.fixed:
        return np.full(size, estimate.low)
    beta = rng.beta(estimate.alpha, estimate.beta, size)
    return estimate.low + (estimate.high - estimate.low) * beta


def negative_binomial(entries: Ints, probability: float, rng: np.random.Generator) -> Ints:
    """Extra passes of a loop entered ``entries`` times: the failures before that many successes.

    Each entry passes once and goes round again with ``probability``, so its passes
    are geometric with mean 1/(1 − p); ``entries`` of them add up to ``entries`` plus
    a negative binomial number of extra passes.
    """
    extra: Ints = rng.negative_binomial(np.maximum(entries, 1), 1.0 - probability)
    extra[entries == 0] = 0
    return extra
