"""How many points a correct answer earns: a base, plus a bonus for answering quickly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoringRules:
    """Points for a correct answer: `base_points`, plus up to `speed_bonus` for speed."""

    base_points: int = 100
    speed_bonus: int = 100

    def points(self, elapsed: float, round_seconds: float) -> int:
        """Return the points for a correct answer `elapsed` seconds into a `round_seconds` round."""
        # The bonus falls in a straight line from full at once to nothing at the deadline.
        left = min(max(1.0 - elapsed / round_seconds, 0.0), 1.0)
        return self.base_points + round(self.speed_bonus * left)
