"""Training the learned entity selector from the command line (``laborwatch nlp train-entities``).

Builds the rule extractor (:class:`nlp.entities.EntityExtractor`) and hands it to the selector
(:mod:`nlp.entity_model`); kept apart from both so that neither imports the other (issue 20).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.entities import EntityExtractor
from nlp.entity_model import FIELDS, MIN_GAIN, _objective, cross_validate_entities, train_entity_model

if TYPE_CHECKING:
    from nlp.data import LabelledItem

__all__ = ["rules_extractor", "write_trained_entity_model"]


def rules_extractor(settings: Any) -> EntityExtractor:  # noqa: ANN401 - lwcore.settings.Settings
    """The rule extractor built from ``settings`` resources, with no learned model (the training baseline)."""
    return EntityExtractor.from_settings(settings, model_path=None)


def write_trained_entity_model(settings: Any, items: Sequence[LabelledItem], out: Path, *,  # noqa: ANN401
                               data_path: str, command: str, k: int = 5, seed: int = 13, c: float = 1.0,
                               all_fields: bool = False, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Cross-validate rules vs learned on ``k`` grouped folds, then train on every item and write ``out`` with
    the fields whose learned selector wins out of fold (every field with ``all_fields``). Nothing is written when
    no field wins (the rules stay in charge); the report says which fields were stored and why."""
    import hashlib

    ex = rules_extractor(settings)
    cv = cross_validate_entities(ex, items, k=k, seed=seed, c=c, log=log)
    wins = {f: _objective(f, cv[f]["learned"]) >= _objective(f, cv[f]["rules"]) + MIN_GAIN for f in FIELDS}
    keep = [f for f in FIELDS if wins[f] or all_fields]
    report: dict[str, Any] = {"cv": cv, "wins_out_of_fold": wins, "stored_fields": keep, "out": str(out)}
    if not keep:
        report["note"] = "the learned selector wins on no field out of fold: no model written, rules stay"
        return report
    data_sha = hashlib.sha256(Path(data_path).read_bytes()).hexdigest()[:16] if Path(data_path).is_file() else ""
    model = train_entity_model(ex, items, seed=seed, c=c, meta={"command": command, "data": data_path,
                                                               "data_sha256_16": data_sha, "cv": cv})
    model.fields = {f: model.fields[f] for f in keep}
    model.save(out)
    if log:
        log(f"entity model ({', '.join(keep)}) written to {out}")
    return report
