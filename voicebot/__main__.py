"""``python -m voicebot``."""

from voicebot.cli.main import main

main()
