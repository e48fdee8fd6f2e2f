"""What every part of the policy model shares: the strict base model and the name patterns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ENTITY = r"^[A-Z][A-Z0-9_]{1,39}$"  # an entity type's name


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
