"""Simulation reports: goal rates per language and condition, JUnit XML."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from voicebot.simulate.run import SimResult


def rates(results: Sequence[SimResult]) -> dict[tuple[str, str], tuple[int, int]]:
    """(language, condition) -> (goals reached, calls)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for r in results:
        key = (r.goal.language, str(r.goal.condition))
        hit, n = out.get(key, (0, 0))
        out[key] = (hit + int(r.reached), n + 1)
    return out


def summary_table(results: Sequence[SimResult]) -> str:
    """The per-language, per-condition goal rates as a text table."""
    lines = ["language | condition | reached | calls | rate", "--- | --- | --- | --- | ---"]
    total = [0, 0]
    for (lang, cond), (hit, n) in sorted(rates(results).items()):
        lines.append(f"{lang} | {cond} | {hit} | {n} | {100 * hit / n:.0f}%")
        total[0] += hit
        total[1] += n
    if total[1]:
        lines.append(f"all | all | {total[0]} | {total[1]} | {100 * total[0] / total[1]:.0f}%")
    return "\n".join(lines)


def junit_xml(results: Sequence[SimResult]) -> str:
    """JUnit XML: a test case per simulated call, a failure when its goal was not reached."""
    suite = ET.Element("testsuite", name="voicebot.simulate", tests=str(len(results)),
                       failures=str(sum(1 for r in results if not r.reached)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase",
                             classname=f"simulate.{r.goal.language}.{r.goal.condition}",
                             name=r.goal.name, time=f"{r.seconds:.3f}")
        if not r.reached:
            failure = ET.SubElement(case, "failure", message="; ".join(r.misses))
            failure.text = "\n".join(f"caller: {t.caller}\nbot: {t.bot}" for t in r.call.turns)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
