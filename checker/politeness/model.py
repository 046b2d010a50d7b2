"""The learned politeness scorer: a dot product over named features, read from JSON.

``load()`` reads ``models/politeness/weights.json`` (shipped as package data) once per
process.  A missing or corrupt file raises ``ModelError`` saying how to rebuild it; there is
no fallback score.  ``Model.score_sents(sents)`` gives the calibrated probability that the
sentences read as polite, plus the contribution of every feature for explanations.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .features import Extracted, Vectorizer, extract

FORMAT = "followup-checker/politeness-model/1"
PACKAGE = "models.politeness"
WEIGHTS = "weights.json"
REBUILD = "rebuild it with `followup train politeness` (needs ../shared/data/politeness)"


class ModelError(OSError):
    """The politeness weights are missing or unreadable (an OSError, so the CLI reports it
    as one line with exit 2, like any other unreadable input)."""


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass
class Scored:
    probability: float
    logit: float
    values: dict[str, float]          # vectorised feature values
    contributions: dict[str, float]   # feature -> contribution to the logit
    extracted: Extracted


@dataclass
class Model:
    """A linear model over named features.  The class attributes name the kind of model in
    its file and in errors; ``checker.tone`` subclasses it for the desperation-tone model."""
    FORMAT = FORMAT
    KIND = "politeness"
    REBUILD = REBUILD

    config: dict
    vectorizer: Vectorizer
    weights: dict[str, float]
    bias: float
    calibration: tuple[float, float]   # logit = a * raw + b
    meta: dict

    # -- scoring -------------------------------------------------------------------------
    def raw_from_values(self, values: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(v * w.get(name, 0.0) for name, v in values.items())

    def logit_from_raw(self, raw: float) -> float:
        a, b = self.calibration
        return a * raw + b

    def score_counts(self, counts: dict[str, float]) -> float:
        """Calibrated probability for a feature-count dict."""
        return sigmoid(self.logit_from_raw(self.raw_from_values(self.vectorizer.transform(counts))))

    def score_sents(self, sents, spans: bool = True) -> Scored:
        ex = extract(sents, self.config, spans=spans)
        values = self.vectorizer.transform(ex.counts)
        w = self.weights.get
        products = [(n, v * w(n, 0.0)) for n, v in values.items()]
        raw = self.bias + sum(p for _, p in products)   # = raw_from_values(values)
        logit = self.logit_from_raw(raw)
        a = self.calibration[0]
        contrib = {n: a * p for n, p in products}
        return Scored(sigmoid(logit), logit, values, contrib, ex)

    # -- persistence ---------------------------------------------------------------------
    def to_json(self) -> dict:
        names = sorted(self.vectorizer.idf)
        return {
            "format": self.FORMAT,
            "meta": self.meta,
            "config": self.config,
            "blocks": self.vectorizer.blocks,
            "bias": self.bias,
            "calibration": list(self.calibration),
            # Parallel lists (fast to parse): feature name, its idf and its weight.  Training
            # rounds the values before it builds the model, so the loaded model is the
            # trained one exactly.
            "features": {"names": names,
                         "idf": [self.vectorizer.idf[n] for n in names],
                         "weight": [self.weights.get(n, 0.0) for n in names]},
        }

    @classmethod
    def from_json(cls, data: dict, where: str = WEIGHTS) -> "Model":
        if not isinstance(data, dict) or data.get("format") != cls.FORMAT:
            raise ModelError(f"{where}: not a {cls.KIND} model ({cls.FORMAT}); {cls.REBUILD}")
        try:
            feats = data["features"]
            names, idfs, ws = feats["names"], feats["idf"], feats["weight"]
            if not (len(names) == len(idfs) == len(ws)) or not names:
                raise ValueError("feature lists of different lengths")
            # Cheap C-speed type checks: fsum rejects non-numbers, join non-strings.
            if not (math.isfinite(math.fsum(idfs)) and math.isfinite(math.fsum(ws))):
                raise ValueError("idf or weight is not finite")
            "".join(names)
            idf = dict(zip(names, idfs))
            weights = dict(zip(names, ws))
            a, b = data["calibration"]
            return cls(config=data["config"], vectorizer=Vectorizer(idf, data["blocks"]),
                       weights=weights, bias=float(data["bias"]),
                       calibration=(float(a), float(b)), meta=data.get("meta", {}))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(f"{where}: corrupt {cls.KIND} model ({exc!r}); {cls.REBUILD}") from None

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.to_json(), separators=(",", ":"),
                                         ensure_ascii=False, sort_keys=True), encoding="utf-8")


def load_path(path: Path | str, cls: type[Model] = Model) -> Model:
    path = Path(path)
    what, rebuild = f"{cls.KIND} weights {path}", cls.REBUILD
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"{what} are missing; {rebuild}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{what} cannot be read ({exc}); {rebuild}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{what} are corrupt ({exc.msg} at line {exc.lineno}); {rebuild}") from None
    return cls.from_json(data, str(path))


def weights_path() -> Path:
    return Path(str(resources.files(PACKAGE).joinpath(WEIGHTS)))


@functools.lru_cache(maxsize=1)
def load() -> Model:
    """The shipped model, read once per process (kept out of later garbage collections)."""
    from ..startup import bulk_load

    with bulk_load():
        return load_path(weights_path())
