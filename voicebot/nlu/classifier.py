"""The intent text classifier: spaCy pipelines, training from the labelled utterances, scoring."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from voicebot.nlu.errors import NluError
from voicebot.nlu.types import CLASSIFIED_INTENTS, INTENTS

DATA_DIR = Path(__file__).parent / "data"
SEED = 12368
EPOCHS = 8
META_FILE = "voicebot-nlu.json"

_TEXTCAT_CONFIG = {
    "threshold": 0.0,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 262144,
    },
}


def blank(language: str) -> Language:
    """An empty pipeline: Mandarin segmented by jieba, or English."""
    if language == "zh":
        _quiet_jieba()
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if language == "en":
        return spacy.blank("en")
    raise NluError(f"unsupported language {language!r}", "nlu.language")


@dataclass(frozen=True)
class Utterance:
    """One labelled utterance of the data set."""

    text: str
    intent: str
    topic: str | None
    split: str


def load_data(language: str, data_dir: Path = DATA_DIR) -> list[Utterance]:
    """The labelled utterances of ``language`` (``intents_<language>.jsonl``)."""
    path = data_dir / f"intents_{language}.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NluError(f"cannot read intent data {path}: {exc}", "nlu.data_missing") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if raw["intent"] not in INTENTS or raw["split"] not in ("train", "test"):
            raise NluError(f"{path}:{number}: bad intent or split", "nlu.data_invalid")
        rows.append(Utterance(raw["text"], raw["intent"], raw.get("topic"), raw["split"]))
    return rows


_FEATURE_SOURCES = ("classifier.py", "understander.py", "numbers.py", "cases.py", "rules.py")


def data_digest(language: str, data_dir: Path = DATA_DIR) -> str:
    """SHA-256 of the data and of the code that turns it into a model (to spot stale models)."""
    digest = hashlib.sha256((data_dir / f"intents_{language}.jsonl").read_bytes())
    for name in _FEATURE_SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def train_pipeline(
    language: str, examples: Sequence[tuple[str, str]], *, epochs: int = EPOCHS, seed: int = SEED
) -> Language:
    """A pipeline with an exclusive ``textcat`` trained on (classifier text, intent) pairs."""
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = blank(language)
    textcat = nlp.add_pipe("textcat", config=_TEXTCAT_CONFIG)
    for intent in CLASSIFIED_INTENTS:
        textcat.add_label(intent)  # type: ignore[attr-defined]
    data = [
        Example.from_dict(nlp.make_doc(text),
                          {"cats": {i: float(i == intent) for i in CLASSIFIED_INTENTS}})
        for text, intent in examples
    ]
    optimizer = nlp.initialize(lambda: data)
    for _ in range(epochs):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
    return nlp


def classify(nlp: Language, text: str) -> dict[str, float]:
    """Intent scores for classifier text."""
    return dict(nlp(text).cats)


@dataclass(frozen=True)
class IntentScore:
    """Precision and recall of one intent on the test split."""

    intent: str
    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """How the understanding does on the held-out utterances of one language."""

    language: str
    accuracy: float
    per_intent: tuple[IntentScore, ...]
    errors: tuple[tuple[str, str, str], ...] = field(default=())
    """(text, expected, predicted) of the misclassified utterances."""

    def to_json(self) -> dict[str, object]:
        """Plain data for the model's metadata file."""
        return {
            "language": self.language,
            "accuracy": self.accuracy,
            "per_intent": {
                s.intent: {"precision": s.precision, "recall": s.recall, "support": s.support}
                for s in self.per_intent
            },
        }


def evaluate(
    language: str, rows: Iterable[Utterance], predict: Callable[[str], str]
) -> Evaluation:
    """Score ``predict`` (utterance -> intent) on ``rows``."""
    pairs = [(row.text, row.intent, predict(row.text)) for row in rows]
    correct = sum(gold == got for _, gold, got in pairs)
    scores = []
    for intent in INTENTS:
        predicted = sum(got == intent for _, _, got in pairs)
        support = sum(gold == intent for _, gold, _ in pairs)
        hits = sum(gold == got == intent for _, gold, got in pairs)
        if predicted or support:
            scores.append(
                IntentScore(intent, hits / predicted if predicted else 0.0,
                            hits / support if support else 0.0, support)
            )
    errors = tuple((t, g, p) for t, g, p in pairs if g != p)
    return Evaluation(language, correct / len(pairs) if pairs else 0.0, tuple(scores), errors)


def save(nlp: Language, model_dir: Path, language: str, evaluation: Evaluation | None) -> Path:
    """Write the trained pipeline to ``model_dir/<language>`` with a metadata file."""
    path = model_dir / language
    nlp.to_disk(path)
    meta = {
        "language": language,
        "data_sha256": data_digest(language),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "evaluation": evaluation.to_json() if evaluation else None,
    }
    (path / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return path


def load_pipeline(model_dir: Path, language: str) -> Language:
    """The trained pipeline of ``language``; NluError ``nlu.model_missing`` if not trained."""
    path = model_dir / language
    if not (path / "config.cfg").exists() or not (path / META_FILE).exists():
        raise NluError(
            f"no trained NLU model for {language!r} in {model_dir}: run `voicebot nlu train`",
            "nlu.model_missing",
        )
    if language == "zh":
        _quiet_jieba()
    return spacy.load(path)


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at INFO on stderr; keep the CLI output clean."""
    import jieba

    jieba.setLogLevel(logging.WARNING)


def is_current(model_dir: Path, language: str) -> bool:
    """Whether ``model_dir`` holds a model trained from the current data and settings."""
    try:
        meta = json.loads((model_dir / language / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta.get("data_sha256") == data_digest(language))
