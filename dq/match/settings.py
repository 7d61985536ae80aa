"""Settings of the matching stage (the ``match`` section of dq.yaml).

Kept small on purpose: blocking, model and band thresholds here; survivorship settings of golden
records live next to them in the same section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dq.errors import ConfigError

__all__ = ["ENGINES", "MatchSettings", "with_options"]

ENGINES = ("local", "spark")


class MatchSettings(BaseModel):
    """How candidate pairs are found, how the model is trained and where the bands start."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["dedupe_and_link", "link_only", "dedupe_only"] = Field(
        "dedupe_and_link",
        description="Pairs within one source are dedupe pairs, across sources link pairs; "
        "link_only keeps only cross-source pairs (two-file linkage), dedupe_only the others.",
    )
    blocking: str | None = Field(
        None, description="Blocking key file (YAML); None uses the shipped keys for records."
    )
    comparisons: str | None = Field(
        None, description="Comparison spec file (YAML); None uses the shipped spec for records."
    )
    require_equal: tuple[str, ...] = Field(
        ("party_type",),
        description="Columns a pair must agree on where both records have a value (a contact "
        "person is never the company); absent columns are ignored.",
    )
    block_cap: int = Field(
        300,
        ge=2,
        description="Blocks with more records are split by the key's secondary key, or skipped "
        "(with a warning and a count in the blocking report).",
    )
    pairs_per_record: float | None = Field(
        7.5,
        gt=0,
        description="Budget of candidate pairs per record (at least a million in all): where "
        "the keys would make more, each key's block cap (or window) is set by the expected "
        "matches per pair of a scored sample until they fit, so memory does not follow the "
        "name distribution (reported in the blocking report); None: no budget.",
    )
    match_threshold: float = Field(
        0.5, gt=0, lt=1, description="Pairs with probability >= this are automatic matches."
    )
    review_threshold: float = Field(
        0.2, gt=0, lt=1, description="Pairs with probability >= this (below match) go to review."
    )
    em_iterations: int = Field(100, ge=0, description="Maximum EM iterations.")
    em_tolerance: float = Field(1e-6, gt=0, description="EM stops when no parameter moves more.")
    em_estimate_u: bool = Field(
        True,
        description="Re-estimate u on the candidate pairs during EM (u from random pairs is the "
        "start); False keeps the random-pair u fixed.",
    )
    em_pair_classes: bool = Field(
        True,
        description="Estimate m, u and the prior per pair class (two companies, two persons, "
        "mixed): colleagues agree on their company's fields, duplicates of a company too, so "
        "one pooled model undervalues company evidence. False: one pooled model.",
    )
    em_min_class_pairs: int = Field(
        1000,
        ge=0,
        description="A pair class with fewer candidate pairs uses the pooled estimate (about "
        "130 m/u values per class need several pairs each).",
    )
    u_sample_pairs: int = Field(
        300_000, ge=1000, description="Random record pairs sampled to estimate u."
    )
    tf_adjustment: bool = Field(
        True, description="Term-frequency adjustment for comparisons that declare `tf: true`."
    )
    tf_max_weight: float = Field(
        4.0, ge=0, description="Largest absolute term-frequency adjustment (bits)."
    )
    hard_rules: bool = Field(
        True, description="Same VAT ID/register number -> match; different -> cannot-link."
    )
    place_identifiers: tuple[str, ...] = Field(
        ("phone", "iban"),
        description="Comparisons whose exact agreement makes two companies in different places "
        "an ordinary link; without one (or a shared VAT ID/register number) the pair is "
        "`other_place` and only attaches a lone record to one group (a branch looks like a "
        "moved company).",
    )
    cannot_link_below: float = Field(
        -10.0,
        description="Match weight (bits) below which the model rejects a pair beyond doubt "
        "(-10: odds under 1 in 1,000): such a pair keeps its records apart in clustering like "
        "a cannot-link rule, so a chain of weaker links cannot join them.",
    )
    keep_non_matches: bool = Field(
        False,
        description="Keep non-match pairs in the scored output (memory grows with candidates).",
    )
    seed: int = Field(42, description="Seed for random-pair sampling (u estimation).")
    engine: Literal["local", "spark"] = Field(
        "local",
        description="Where the pair work runs: local (this process, the fastest up to a few "
        "million records) or spark (Apache Spark: pip install 'dq[spark]' and Java 17; same "
        "answers). Decisions, clustering guard, review and golden records run here either way.",
    )
    spark_master: str = Field(
        "local[*]",
        description="Spark master URL for engine spark: local[N] (N cores of this machine), "
        "spark://host:7077, yarn, k8s://…",
    )
    spark_conf: dict[str, str] = Field(
        default_factory=dict,
        description="Spark options for engine spark, passed to the SparkSession builder "
        "(spark.executor.memory: 8g, spark.sql.shuffle.partitions: '400', …).",
    )

    @field_validator("engine", mode="before")
    @classmethod
    def _known_engine(cls, value: Any) -> Any:
        if value not in ENGINES:
            raise ValueError(f"unknown engine {value!r} (choose one of: {', '.join(ENGINES)})")
        return value

    @field_validator("spark_conf", mode="before")
    @classmethod
    def _text_values(cls, value: Any) -> Any:
        # dq.yaml writes numbers and flags bare (partitions: 400); Spark takes them as text
        if isinstance(value, Mapping):
            return {
                str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()
            }
        return value

    @model_validator(mode="after")
    def _ordered(self) -> MatchSettings:
        if self.review_threshold > self.match_threshold:
            raise ValueError("review_threshold must not exceed match_threshold")
        return self


S = TypeVar("S", bound=MatchSettings)


def with_options(settings: S, options: Mapping[str, Any], where: str = "match") -> S:
    """``settings`` with ``options`` (e.g. from the command line) over them, validated like
    dq.yaml; a mapping option (``spark_conf``) adds to the settings' own. A bad value is a
    :class:`~dq.errors.ConfigError` naming ``where.<key>``."""
    data = settings.model_dump()
    for key, value in options.items():  # a mapping (spark_conf) adds to the file's
        current = data.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            value = {**current, **value}
        data[key] = value
    try:
        return type(settings).model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}.{key}: {err['msg'].removeprefix('Value error, ')}")
        raise ConfigError(None, problems) from None
