"""How many points a correct answer earns: a base, plus a bonus for answering quickly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoringRules:
    """Points for a correct answer: `base_points`, plus up to `speed_bonus` for speed.

    A right answer after the round's hint earns `after_hint` of that.
    """

    base_points: int = 100
    speed_bonus: int = 100
    after_hint: float = 0.5

    def points(self, elapsed: float, round_seconds: float, *, hinted: bool = False) -> int:
        """Return the points for a correct answer `elapsed` seconds into a `round_seconds` round.

        `hinted`: the answer came after the round's hint.
        """
        # The bonus falls in a straight line from full at once to nothing at the deadline.
        left = min(max(1.0 - elapsed / round_seconds, 0.0), 1.0)
        points = self.base_points + round(self.speed_bonus * left)
        return round(points * self.after_hint) if hinted else points
