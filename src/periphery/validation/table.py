"""The validation table as markdown (``docs/validation.md``) and as short console lines.

Wording is neutral and conditional: "under these mechanisms and parameters, k of n runs point
in the predicted direction". A "not reproduced" row is a finding about this model with these
parameters, and a "not testable yet" row says exactly what is missing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime

from periphery.validation.check import NOT_REPRODUCED, NOT_TESTABLE, REPRODUCED, Check, Result
from periphery.validation.p48 import CASES, LEVELS
from periphery.validation.suite import Report

LEVEL_NAMES = {"a": "a sustained large-scale", "b": "b large, not sustained", "c": "c sporadic"}


def _num(x: float, digits: int = 3) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.{digits}g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def runs_in_direction(r: Result) -> str:
    """``k of n`` runs whose own statistic points in the predicted direction (– if undefined)."""
    if r.status == NOT_TESTABLE and not math.isfinite(r.share):
        return "–"
    if not math.isfinite(r.share) or not r.n:
        return "–"
    return f"{round(r.share * r.n)} of {r.n}"


def effect(r: Result) -> str:
    """``value [lo, hi]`` of the headline effect."""
    if not math.isfinite(r.effect):
        return "–"
    return f"{_num(r.effect)} [{_num(r.lo)}, {_num(r.hi)}]"


def summary(report: Report) -> str:
    """One line of counts."""
    c = report.counts()
    return (f"{c[REPRODUCED]} reproduced, {c[NOT_REPRODUCED]} not reproduced, {c[NOT_TESTABLE]} not testable yet "
            f"({len(report.results)} rows: predictions × frameworks; {len(report.reserved)} predictions reserved)")


def missing_mechanisms(results: list[Result]) -> dict[str, list[str]]:
    """M-id (or column) -> the rows (P-id/framework) waiting for it."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in results:
        if r.status == NOT_TESTABLE:
            for m in r.missing:
                out[m].append(f"{r.pid}/{r.framework}")
    return dict(sorted(out.items(), key=lambda kv: (not kv[0].startswith("M"), _mnum(kv[0]), kv[0])))


def _mnum(k: str) -> int:
    return int(k[1:]) if k.startswith("M") and k[1:].isdigit() else 0


def _p48_section(report: Report) -> list[str]:
    row = next((r for r in report.results if r.pid == "P48" and r.extra.get("matrix") is not None), None)
    out = ["## P48: the three-level cross-country pattern (confusion matrix)", ""]
    if row is None:
        out += ["No historical scenario ran, so there is no matrix yet.", ""]
        out += ["Scenario files looked for: " + ", ".join(f"`{'`/`'.join(f + '.toml' for f in c.files)}`" for c in CASES) + ".", ""]
        return out
    x = row.extra
    if row.status == NOT_TESTABLE:
        out += [f"**Exploratory** (P48 is not testable yet: {row.note.split('; exploratory:')[0]}). The matrix covers "
                "the cases whose scenario files exist; it is shown so the pattern can be followed while the rest is built.", ""]
    out += [f"Rows: class expected from theory_spec F77; columns: class of the simulated series (one count per case and seed, "
            f"{report.n_seeds} seeds, framework {row.framework.upper()}).", "",
            "| expected \\ simulated | a | b | c |", "|---|---|---|---|"]
    for i, lv in enumerate(LEVELS):
        out.append(f"| {LEVEL_NAMES[lv]} | " + " | ".join(str(v) for v in x["matrix"][i]) + " |")
    out += ["", "| case | expected | a | b | c | modal | share in expected class [Wilson 95%] | basis |", "|---|---|---|---|---|---|---|---|"]
    for name, v in x["per_case"].items():
        c = v["counts"]
        out.append(f"| {name} | {v['expected']} | {c['a']} | {c['b']} | {c['c']} | {v['modal']} | "
                   f"{v['share']:.2f} [{v['lo']:.2f}, {v['hi']:.2f}] | {v['basis']} |")
    if x["missing"]:
        files = {c.name: c.files for c in CASES}
        out += ["", "Missing scenario files (reported, not skipped): " + ", ".join(
            f"{m} (`{'`/`'.join(f + '.toml' for f in files[m])}`)" for m in x["missing"]) + "."]
    if x.get("others"):
        def other(k, v):
            txt = f"{k}: the government of month 1 is in place at the end in {v['survival']:.0%} of runs"
            if "coup_reversed" in v:
                txt += (f", coups reversed in {v['coup_reversed']:.0%} of runs with a coup decided"
                        if v["coup_reversed"] == v["coup_reversed"] else ", no coup decided in any run")
            return txt + f"; activity classes {v['classes']}"

        out += ["", "Not classified by F77 (states, reported only): " + "; ".join(other(k, v) for k, v in x["others"].items()) + "."]
    if x.get("sensitivity"):
        out += ["", "Accuracy under other thresholds L: " + ", ".join(f"L = {k:g}: {v:.2f}" for k, v in x["sensitivity"].items()) + "."]
    return out + [""]


def markdown(report: Report, checks: tuple[Check, ...], command: str) -> str:
    """The whole ``docs/validation.md``."""
    c = report.counts()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    agents = "each scenario's own count" if report.agents is None else f"{report.agents:,}"
    lines = [
        "# Validation: the predictions of theory_spec §6 as executable checks",
        "",
        f"*Generated by `{command}` on {now}. Do not edit by hand; re-run the command.*",
        "",
        f"Code version {report.code_version} (digest of engine, theory, scenarios, models); shared parameters "
        f"`scenarios/params/default.toml` (digest {report.params_digest}); {report.n_seeds} seeds per arm, the same "
        f"seeds in every arm (common random numbers); {agents} agents per run; {report.runs} runs "
        f"({report.cached} from the cache); wall time {report.wall_seconds:.0f} s"
        + (f" (computing every run afresh took {report.fresh['seconds']:.0f} s with {report.fresh['jobs']} worker processes)"
           if report.fresh and report.cached else "") + ".",
        "",
        *([f"Agent counts are scaled: every run, teaching set-ups and historical scenarios alike, has {report.agents:,} "
           "agents (the historical files ask for 20,000-50,000), so the whole suite fits in minutes on two cores; "
           "shares, not counts, are compared, and the model's per-month cost depends little on the agent count.", ""]
          if report.agents else []),
        "**How to read this table.** Each row is one prediction under one framework (predictions marked ◆ "
        "discriminate between the IMP and TNC mechanism sets and are reported under both). A check runs an "
        "experiment (arms that differ only in initial conditions, events or in-run manipulations, never in "
        "behavioural parameters), computes one statistic per seed, and applies the pass criterion of "
        "`docs/decisions/mechanism_map.md` §2 to its 95% interval (bootstrap over seeds, Wilson for shares). "
        "*Runs in predicted direction* counts the seeds whose own statistic points the way the prediction says; "
        "*effect* is the headline statistic with its 95% interval; *n* is the number of seeds entering it. "
        "Statuses: **reproduced** (under these mechanisms and parameters the criterion holds), **not "
        "reproduced** (the runs were made and the criterion fails: a finding about this model, not about the "
        "world, and not every prediction is expected to come out as the texts say), **not testable yet** "
        "(a needed mechanism, state column, scenario field or file does not exist; the note names it).",
        "",
        "## Summary",
        "",
        "| status | rows |",
        "|---|---|",
        f"| reproduced | {c[REPRODUCED]} |",
        f"| not reproduced | {c[NOT_REPRODUCED]} |",
        f"| not testable yet | {c[NOT_TESTABLE]} |",
        f"| reserved (not checked here) | {len(report.reserved)} predictions |",
        "",
        "## Results",
        "",
        "| P | prediction | framework | status | runs in predicted direction | effect [95% CI] | n | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(report.results, key=lambda r: (int(r.pid[1:]), r.framework)):
        pid = r.pid + (" ◆" if r.discriminating else "")
        what = f"{r.label}: {effect(r)}" if math.isfinite(r.effect) else "–"
        lines.append(f"| {pid} | {_cell(r.title)} | {r.framework.upper()} | {r.status} | {runs_in_direction(r)} | "
                     f"{_cell(what)} | {r.n or '–'} | {_cell(r.note)} |")
    lines += [""]
    lines += _p48_section(report)
    miss = missing_mechanisms(report.results)
    lines += ["## What the untestable rows wait for", "",
              "Mechanisms (M-ids of theory_spec §3) and state columns that rows marked *not testable yet* need. "
              "Rows whose set-up needs a scenario field or file are named in their notes.", "",
              "| needed | rows |", "|---|---|"]
    lines += [f"| {k} | {', '.join(v)} |" for k, v in miss.items()] or ["| – | – |"]
    other = [r for r in report.results if r.status == NOT_TESTABLE and not r.missing]
    if other:
        lines += ["", "Rows not testable for another reason (a scenario file missing, or a precondition of the "
                  "experiment not met, so the prediction cannot be judged without a vacuous pass):", "",
                  "| row | reason |", "|---|---|"]
        lines += [f"| {r.pid}/{r.framework} | {_cell(r.note.split('; exploratory:')[0])} |" for r in other]
    lines += ["", "## Reserved predictions", "",
              "Kept out of theory_spec and checked independently; not reconstructed here: " + ", ".join(report.reserved) + ".",
              "", "## Check designs", "",
              "Each check as declared in `src/periphery/validation/checks/` (designs follow mechanism_map §2; "
              "deviations forced by the current schema are stated in the experiment).", ""]
    for ch in checks:
        needs = ", ".join(ch.needs) if not ch.needs_by_framework else "; ".join(
            f"{k.upper()}: {', '.join(v)}" for k, v in ch.needs_by_framework.items())
        lines += [f"**{ch.pid}{' ◆' if ch.discriminating else ''}** {ch.title}. *Frameworks:* "
                  f"{', '.join(f.upper() for f in ch.frameworks)}. *Needs:* {needs}"
                  + (f" (also uses {', '.join(ch.also)})" if ch.also else "") + ".",
                  f"*Experiment:* {ch.experiment}. *Observable:* {ch.observable}. *Statistic:* {ch.statistic}. "
                  f"*Pass:* {ch.criterion}.", ""]
    return "\n".join(lines)


def console_rows(report: Report) -> list[tuple[str, ...]]:
    """Short rows for the terminal: P-id, framework, status, runs in direction, effect, n."""
    return [(r.pid + (" ◆" if r.discriminating else ""), r.framework.upper(), r.status, runs_in_direction(r),
             effect(r), str(r.n or "–"), (", ".join(r.missing[:6]) + ("…" if len(r.missing) > 6 else "")) if r.missing else "")
            for r in sorted(report.results, key=lambda r: (int(r.pid[1:]), r.framework))]  # fmt: skip
