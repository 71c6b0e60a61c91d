"""CART, the second method: a classification tree whose leaves are boxes, read as rules.

Breiman, Friedman, Olshen & Stone (1984), *Classification and Regression Trees*; compared
with PRIM for scenario discovery by Lempert, Bryant & Bankes (2008), "Comparing algorithms
for scenario discovery", RAND WR-557-NSF. The tree is scikit-learn's
(``DecisionTreeClassifier``, an optional extra: ``pip install 'ceasefire[discover]'``); each
leaf is the box of the splits on its path, and the leaves where the outcome is most frequent
are the rules reported.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ceasefire._errors import InputError
from ceasefire.analysis.discover._prim import Box, data_limits

__all__ = ["cart_boxes"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def cart_boxes(
    x: FloatArray,
    y: BoolArray,
    *,
    max_depth: int = 4,
    min_leaf: int = 20,
    seed: int = 0,
) -> list[Box]:
    """Fit a classification tree and return its leaves as boxes, densest first.

    Leaves of equal density come in order of the cases they hold.

    Only leaves where the outcome is more frequent than in all draws are returned: the
    others describe where it is rare. Leaf bounds not set by a split are the data's range.
    """
    try:
        from sklearn.tree import DecisionTreeClassifier
    except ImportError:
        raise InputError(
            "CART needs scikit-learn: pip install 'ceasefire[discover]'", where="--method"
        ) from None
    # Balanced class weights: with an outcome in 2% of draws an unweighted tree barely splits.
    tree = DecisionTreeClassifier(
        max_depth=max_depth,
        min_samples_leaf=min_leaf,
        class_weight="balanced",
        random_state=seed,
    ).fit(x, y)
    structure = tree.tree_
    limits = data_limits(x)
    boxes: list[tuple[tuple[float, int], Box]] = []
    base_rate = float(y.mean())
    leaf_of = tree.apply(x)

    def walk(node: int, lower: FloatArray, upper: FloatArray) -> None:
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # a leaf
            members = leaf_of == node
            density = float(y[members].mean()) if members.any() else 0.0
            if density > base_rate:
                key = (density, int(y[members].sum()))
                boxes.append((key, Box(lower.copy(), upper.copy())))
            return
        dim, threshold = int(structure.feature[node]), float(structure.threshold[node])
        # scikit-learn sends x <= threshold left; a box's bounds are inclusive, so the right
        # child's lower bound is the next representable number above the threshold.
        left_upper = upper.copy()
        left_upper[dim] = min(upper[dim], threshold)
        walk(left, lower, left_upper)
        right_lower = lower.copy()
        right_lower[dim] = max(lower[dim], np.nextafter(threshold, np.inf))
        walk(right, right_lower, upper)

    walk(0, limits.lower.copy(), limits.upper.copy())
    boxes.sort(key=lambda item: (-item[0][0], -item[0][1]))
    return [box for _, box in boxes]
