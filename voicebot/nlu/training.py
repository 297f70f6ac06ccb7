"""``voicebot nlu train``: train the intent classifiers and score them on the held-out split."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voicebot.nlu.cases import CaseExtractor
from voicebot.nlu.classifier import (
    DATA_DIR,
    Evaluation,
    evaluate,
    is_current,
    load_data,
    save,
    train_pipeline,
)
from voicebot.nlu.understander import Understander, classifier_text


def train_language(
    language: str, model_dir: Path | None, data_dir: Path = DATA_DIR
) -> Evaluation:
    """Train ``language`` on the train split, score the whole understanding on the test split.

    The pipeline is saved under ``model_dir/<language>`` unless ``model_dir`` is None.
    """
    rows = load_data(language, data_dir)
    extractor = CaseExtractor.build()
    examples = [
        (classifier_text(r.text, language, extractor), r.intent) for r in rows if r.split == "train"
    ]
    nlp = train_pipeline(language, examples)
    understander = Understander({language: nlp}, extractor)
    evaluation = evaluate(
        language,
        [r for r in rows if r.split == "test"],
        lambda text: understander.intent(text, language)[0],
    )
    if model_dir is not None:
        save(nlp, model_dir, language, evaluation)
    return evaluation


def train_all(
    model_dir: Path, languages: Sequence[str] = ("zh", "en"), data_dir: Path = DATA_DIR
) -> list[Evaluation]:
    """Train every language into ``model_dir``."""
    model_dir.mkdir(parents=True, exist_ok=True)
    return [train_language(language, model_dir, data_dir) for language in languages]


def ensure_trained(model_dir: Path, languages: Sequence[str] = ("zh", "en")) -> list[Evaluation]:
    """Train the languages whose model in ``model_dir`` is missing or stale; the evaluations."""
    stale = [language for language in languages if not is_current(model_dir, language)]
    return train_all(model_dir, stale) if stale else []
