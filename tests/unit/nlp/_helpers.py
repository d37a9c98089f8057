"""Small helpers shared by the nlp round tests (test_frames_s*, test_frames_rulings, test_types_s*,
test_entities_*): the frame layer's lifting types and decisions, a text's type evidence, the employers of a text.
Imported as ``from tests.unit.nlp._helpers import ...``; fixtures stay in this folder's conftest.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.frames import Explanation, decide, read_frames
from nlp.normalize import normalize
from nlp.surface import relevance_view
from nlp.type_evidence import evidence

if TYPE_CHECKING:
    from nlp.entities import EntityExtractor


def lifting(text: str) -> set[str]:
    """The event types of the frames of ``text`` that lift it."""
    return {f.event_type for f in read_frames(text).lifting}


def frame_decision(text: str, p: float, members: tuple[str, ...] = ()) -> tuple[float, Explanation]:
    """The frame layer's decision on ``text`` given the model's ``p``: (score, explanation)."""
    return decide(p, read_frames(text), members=members, text=text)


def frame_score(text: str, p: float = 0.9) -> tuple[float, str]:
    """The frame layer's score of ``text`` given the model's ``p`` (no members), with the rule that set it."""
    score, why = frame_decision(text, p)
    return score, why.rule


def relevance_score(text: str, p_model: float) -> tuple[float, str]:
    """:func:`frame_score` of the relevance view of ``text`` (the text the relevance model reads)."""
    return frame_score(relevance_view(text), p_model)


def evidence_of(text: str) -> frozenset[str]:
    """The event types ``text`` holds evidence of, read off its frames."""
    return evidence(read_frames(text), text)


def employers_of(ex: EntityExtractor, text: str) -> list[str]:
    """The employers ``ex`` names in the normalised ``text``."""
    return list(ex.employers(normalize(text)))
