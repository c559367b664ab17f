"""P48: the three-level cross-country pattern (theory_spec F77) as a classification of simulated series.

mechanism_map 2.2 defines the classes on a country's monthly series over the scoring window
W (the last 60 months): ``m(t)`` the share of adults active, ``o(t)`` the share organized or
armed, ``L`` the "large" threshold (5% of adults), persistence ``P`` the share of months in W
with ``m >= L/2``:

* (a) sustained large-scale: ``mean m >= L/2`` and ``P >= 0.7`` and ``mean o / mean m >= 0.5``;
* (b) large, not sustained: not (a), ``peak m >= L`` and ``P < 0.4``;
* (c) sporadic: everything else.

Thresholds are frozen here, before any calibration run. The classified country is the first
non-core country of each scenario. The schema does not separate pro-incumbent mobilization
(Venezuela 2002), so ``m`` counts every active agent. A case whose scenario file is missing is
reported as missing; the prediction is "not testable yet" until all seven primary cases exist,
and the matrix over the cases that do exist is shown as exploratory.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

import numpy as np

from periphery.validation import setups, stats
from periphery.validation.check import Arm, Check, Outcome

LEVELS = ("a", "b", "c")
LARGE = 0.05
SENSITIVITY = (0.03, 0.05, 0.08)
WINDOW = 60
PERSIST_A, PERSIST_B, ORGANIZED_A = 0.7, 0.4, 0.5


@dataclass(frozen=True)
class Case:
    """A historical case: candidate scenario file stems, expected class (None: not classified by F77)."""

    name: str
    files: tuple[str, ...]
    expected: str | None
    basis: str


CASES: tuple[Case, ...] = (
    Case("colombia", ("colombia", "col_2003"), "a", "E L195-201"),
    Case("bolivia", ("bolivia", "bol_2003"), "a", "E L203-205"),
    Case("argentina_2001", ("argentina_2001", "arg_2001"), "b", "E L207"),
    Case("brazil", ("brazil", "bra_2002"), "b", "E L207"),
    Case("ecuador", ("ecuador", "ecu_2003"), "b", "E L207; I L31"),
    Case("peru", ("peru", "per_2003"), "c", "E L209"),
    Case("mexico", ("mexico", "mex_2006"), "c", "E L209 (scored on E's horizon, 2003-09)"),
    Case("cuba", ("cuba", "cub_2003"), None, "E L211-215: a state, not classified"),
    Case("venezuela_2002", ("venezuela_2002", "ven_2003"), None, "E L217, L263: a state, not classified"),
)
PRIMARY = tuple(c for c in CASES if c.expected)


def expected_data() -> dict[str, dict]:
    """Entries of ``scenarios/expected.toml`` (the scenario authors' expected outcomes) by file stem.

    Used for the scoring window's end (``score_until_month``: cases whose files run past E's
    horizon) and to flag any disagreement with the classes above, which are mechanism_map 2.2's
    (pre-registered) and always the ones scored.
    """
    path = setups.scenario_dir() / "expected.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text())
    return {e["file"].removesuffix(".toml"): e for key in ("p48", "unclassified") for e in data.get(key, [])}


def case_file(case: Case) -> str | None:
    """The first of the case's file stems present in the scenario folder, or None."""
    return next((f for f in case.files if setups.exists(f)), None)


def classify(m: np.ndarray, o: np.ndarray, large: float = LARGE, window: int = WINDOW, until: int | None = None) -> str:
    """Class a, b or c of one country's series (month 0 excluded; scored on ``window`` months ending at ``until``).

    Parameters
    ----------
    m : ndarray
        Share of adults active, months 0..T.
    o : ndarray
        Share of adults organized or armed, months 0..T.
    large : float
        The "large" threshold L (share of adults).
    window : int
        Length of the scoring window W.
    until : int, optional
        Last month of the window (default: the last month of the series).
    """
    end = None if until is None else until + 1
    m = np.asarray(m, dtype=np.float64)[1:end][-window:]
    o = np.asarray(o, dtype=np.float64)[1:end][-window:]
    if m.size == 0:
        return "c"
    mean_m = float(m.mean())
    persistence = float((m >= large / 2).mean())
    organized = float(o.mean()) / mean_m if mean_m > 0 else 0.0
    if mean_m >= large / 2 and persistence >= PERSIST_A and organized >= ORGANIZED_A:
        return "a"
    if float(m.max()) >= large and persistence < PERSIST_B:
        return "b"
    return "c"


def focal(scenario: dict) -> str:
    """The classified country: the first country that is not the imperial core."""
    return next(c["name"] for c in scenario["countries"] if c["regime"] != "core")


def mo(series: dict, country: str) -> tuple[np.ndarray, np.ndarray]:
    """``m(t)`` and ``o(t)`` of ``country`` from a run's recorded series."""
    p = f"country.{country}."
    alive = np.maximum(np.asarray(series[p + "n_alive"], dtype=np.float64), 1)
    o = (np.asarray(series[p + "n_organized"]) + np.asarray(series[p + "n_armed"])) / alive
    return np.asarray(series[p + "share_active"], dtype=np.float64), o


def _arms(fw: str) -> list[Arm]:
    arms = []
    for case in CASES:
        stem = case_file(case)
        if stem:
            arms.append(Arm(case.name, setups.finish(setups.load(stem), fw)))
    return arms


def confusion(classes: dict[str, list[str]]) -> np.ndarray:
    """3x3 counts: rows expected a/b/c, columns simulated a/b/c, over primary cases and seeds."""
    mat = np.zeros((3, 3), dtype=np.int64)
    for case in PRIMARY:
        for c in classes.get(case.name, []):
            mat[LEVELS.index(case.expected), LEVELS.index(c)] += 1
    return mat


def _classes(ens, arm: Arm, name: str, large: float, until: int | None) -> list[str]:
    country = focal(arm.scenario)
    return [classify(*mo(s, country), large=large, until=until) for s in ens[name].runs]


def _until(case: Case, expected: dict[str, dict]) -> int | None:
    stem = case_file(case)
    return expected.get(stem, {}).get("score_until_month") if stem else None


def evaluate(ens, rng, fw, arms: list[Arm]) -> Outcome:
    """Classify every seed of every present case; confusion matrix, per-case shares, accuracy."""
    by_name = {a.name: a for a in arms}
    present = [c for c in PRIMARY if c.name in ens]
    missing = [c for c in CASES if c.name not in ens]
    expected = expected_data()
    until = {c.name: _until(c, expected) for c in CASES}
    disagree = [f"{c.name} ({expected[case_file(c)]['class']} in expected.toml)" for c in present
                if expected.get(case_file(c), {}).get("class", c.expected) != c.expected]
    classes = {c.name: _classes(ens, by_name[c.name], c.name, LARGE, until[c.name]) for c in present}
    mat = confusion(classes)
    per_case = {}
    for c in present:
        hits = [x == c.expected for x in classes[c.name]]
        lo, hi = stats.wilson(sum(hits), len(hits))
        counts = {lv: classes[c.name].count(lv) for lv in LEVELS}
        modal = max(LEVELS, key=lambda lv: counts[lv])
        per_case[c.name] = {"expected": c.expected, "counts": counts, "modal": modal, "share": sum(hits) / len(hits),
                            "lo": lo, "hi": hi, "basis": c.basis}  # fmt: skip
    # seed-level accuracy over the present primary cases (seeds aligned across cases)
    n = min((len(classes[c.name]) for c in present), default=0)
    acc = np.array([np.mean([classes[c.name][i] == c.expected for c in present]) for i in range(n)])
    est = stats.mean(acc, rng, 1) if n else stats.NAN
    # share and n count case-runs (cases x seeds), so "k of n" reads as runs in the expected class
    est = stats.Estimate(est.value, est.lo, est.hi, est.value, n * len(present))
    sens = {}
    for large in SENSITIVITY:
        cl = {c.name: _classes(ens, by_name[c.name], c.name, large, until[c.name]) for c in present}
        m = confusion(cl)
        sens[large] = float(np.trace(m) / m.sum()) if m.sum() else float("nan")
    others = {}
    for c in CASES:
        if c.expected is None and c.name in ens:
            p = f"country.{focal(by_name[c.name].scenario)}."
            runs = ens[c.name].runs
            # the government of month 1 is still in place at the end
            surv = [float(s[p + "regime"][-1] == s[p + "regime"][1]) for s in runs]
            info = {"survival": float(np.mean(surv)),
                    "classes": {lv: _classes(ens, by_name[c.name], c.name, LARGE, until[c.name]).count(lv) for lv in LEVELS}}
            if ens[c.name].has(p + "coups_failed"):  # coups reversed among runs with a coup decided
                decided = [s for s in runs if s[p + "coups_failed"][-1] + s[p + "coups_succeeded"][-1] > 0]
                info["coup_reversed"] = (float(np.mean([s[p + "coups_succeeded"][-1] == 0 for s in decided]))
                                         if decided else float("nan"))  # fmt: skip
            others[c.name] = info
    modal_ok = sum(v["modal"] == v["expected"] for v in per_case.values())
    wilson_ok = all(v["lo"] > 1 / 3 for v in per_case.values())
    acc_ok = bool(np.isfinite(est.lo) and est.lo > 0.6)
    passed = len(present) == len(PRIMARY) and modal_ok >= 6 and wilson_ok and acc_ok
    note = (f"modal class = expected in {modal_ok} of {len(present)} cases (need ≥ 6 of 7); every case's Wilson lower "
            f"> 1/3: {wilson_ok}; accuracy CI lower > 0.6: {acc_ok}; accuracy at L = "
            + ", ".join(f"{k:g}: {v:.2f}" for k, v in sens.items())
            + (f"; scoring windows end at E's horizon for {', '.join(k for k, v in until.items() if v)}"
               if any(until.values()) else "")
            + (f"; expected.toml disagrees with mechanism_map 2.2 for {', '.join(disagree)} (the map's class is scored)"
               if disagree else ""))
    extra = {"matrix": mat.tolist(), "per_case": per_case, "missing": [c.name for c in missing],
             "sensitivity": sens, "others": others}  # fmt: skip
    untestable = ""
    if any(c.expected for c in missing):
        untestable = "missing scenario files: " + ", ".join(
            f"{c.name} ({' or '.join(f + '.toml' for f in c.files)})" for c in missing if c.expected)
    return Outcome(passed, est, "accuracy: share of case-runs in the expected class", note, extra, untestable)


P48 = Check(
    "P48", "6.7", "The three-level cross-country pattern (sustained / large but unsustained / sporadic) follows from initial conditions",
    needs=("M52", "M103", "M105"),
    frameworks=("imp",),
    experiment=("the historical scenarios of mechanism_map 2.2 (Colombia, Bolivia: a; Argentina 2001, Brazil, Ecuador: b; "
                "Peru, Mexico: c; Cuba and Venezuela 2002 reported, not classified), each with its own months and "
                "timeline; scoring windows end at scenarios/expected.toml's score_until_month where given (E's horizon)"),
    observable="share of adults active m(t) and organized or armed o(t) of the case's country, last 60 months",
    statistic="class a/b/c per seed (L = 5%, persistence 0.7 / 0.4, organized ratio 0.5); confusion matrix; accuracy",
    criterion="modal class = expected in ≥ 6 of 7 cases; each case's expected-class share Wilson lower > 1/3; "
              "accuracy 95% CI lower > 0.6",
    arms=_arms,
    evaluate=lambda ens, rng, fw: evaluate(ens, rng, fw, _arms(fw)),
    probes=("countries.regime_changes", "countries.coups_failed", "countries.coups_succeeded"),
    explore_when_missing=True,
)
