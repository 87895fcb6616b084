"""A valid completion of the whole draw, kept at hand while ``sequential`` draws.

``sequential`` sets a candidate aside only when no valid completion of the draw has it. Most
candidates are answered at once by the completion at hand (:class:`Keeper`), or by refilling
the few places they clash with; the rest by the exact search, asked through :class:`Asking`
so that the questions about one place share what they can. None of this changes a lot: each
answer is exact, and only the time to it depends on the completion at hand.
"""

from __future__ import annotations

from tocreview.draw.matching import allowed_after, allowed_reviewers
from tocreview.draw.problem import Choice, Fill, Place, Problem
from tocreview.draw.search import SearchLimit, complete

REPAIR_LIMIT = 12
"""Most undecided places a local repair refills; beyond that the whole search is quicker."""


class Keeper:
    """Keeps a valid completion of the whole draw that agrees with every choice made so far."""

    def __init__(self, problem: Problem, completion: Fill) -> None:
        self.problem = problem
        self.completion = completion
        self.decided: set[Place] = set()

    def accepts(self, place: Place, choice: Choice) -> bool:
        """Whether some valid completion has ``choice`` at ``place`` (and keeps it if so)."""
        current = self.completion.take(place)
        if current == choice:
            self.completion.put(place, current)
            return True
        if self.completion.allows_choice(place, choice):
            self.completion.put(place, choice)
            return True
        self.completion.put(place, current)
        return False

    def repaired(self, place: Place, choice: Choice) -> bool:
        """Whether refilling only the undecided places the choice clashes with gives a valid
        completion (kept if so). It can only answer yes with a completion in hand, so it
        changes no lot: it spares most of the whole searches the slow path would make."""
        completion = self.completion
        current = completion.take(place)
        sur = place[0]
        reviewers = Fill.reviewers(choice)
        loaded = self.problem.parameters.max_reviews_per_reviewer is not None
        clashing = [
            other for other, held in completion.choices.items()
            if other not in self.decided and (
                other[0] == sur
                or (other[0] in reviewers and sur in Fill.reviewers(held))
                or (loaded and not set(reviewers).isdisjoint(Fill.reviewers(held))))
        ]
        if len(clashing) > REPAIR_LIMIT:
            completion.put(place, current)
            return False
        held = {other: completion.take(other) for other in clashing}
        if completion.allows_choice(place, choice):
            completion.put(place, choice)
            try:
                found = complete(self.problem, completion, clashing, node_limit=2_000)
            except SearchLimit:
                found = None
            if found is not None:
                self.completion = found
                return True
            completion.take(place)
        for other, was in held.items():
            completion.put(other, was)
        completion.put(place, current)
        return False


class Asking:
    """:func:`complete` for a run of questions that differ only in the choice at one place,
    the others fixed: what ``sequential`` asks of each candidate it draws for a place. Under
    a cap on reviews per reviewer, whom the other places may still take is listed once per
    place and set of other choices, and then changed per choice
    (:func:`~tocreview.draw.matching.allowed_after`), instead of listed anew per question."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._key: object = None
        self._before: dict[Place, list[str]] = {}

    def complete(self, fill: Fill, place: Place) -> Fill | None:
        """:func:`complete` of ``fill``, which holds the choice in question at ``place``."""
        if self.problem.parameters.max_reviews_per_reviewer is None:
            return complete(self.problem, fill)  # no Hall's condition to check
        return complete(self.problem, fill, allowed=self.allowed(fill, place))

    def allowed(self, fill: Fill, place: Place) -> dict[Place, list[str]]:
        """:func:`~tocreview.draw.matching.allowed_reviewers` of ``fill`` for the places it
        leaves open, from the lists made before the choice at ``place``."""
        problem = self.problem
        key = (place, frozenset(item for item in fill.choices.items() if item[0] != place))
        choice = fill.choices[place]
        if key != self._key:
            fill.take(place)
            self._before = allowed_reviewers(
                problem, fill, [p for p in problem.places if p not in fill.choices and p != place])
            fill.put(place, choice)
            self._key = key
        return allowed_after(problem, fill, self._before, place, choice)
