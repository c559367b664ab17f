"""Checks of theory_spec 6.3, the imperial core (P19, P20, P22-P26; P21 is reserved).

T-CORE is ``teaching_occupation``: a core country (``core_state``) fighting in an occupied one
(``occupied_land``), with the timeline replaced. Core mobilization is the core country's share
active; war, casualties and conscription are events on the core country.
"""

from __future__ import annotations

import numpy as np

from periphery.theory.world_schema import INTERVENTION_MODES
from periphery.validation import criteria as cr
from periphery.validation import setups, stats
from periphery.validation.check import Check, Intervention, Outcome
from periphery.validation.setups import CORE, TARGET, arm, core, event

B = 24
CORE_ACTIVE = "globe.core_mobilized"  # share of core-class agents active
SUSTAINED_LEVEL, SUSTAINED_MONTHS = 0.02, 12  # mechanism_map P19: >= 12 months above 2%


# P19 ---------------------------------------------------------------------------------------

P19_FACTORS = ("casualties", "conscription", "long_war", "elite_division")
P19_MONTHS = B + 72


def _p19_cell(on: dict[str, bool], fw: str):
    war = 60 if on["long_war"] else 12
    ev = [event(B + 1, "occupation", TARGET, duration=war), event(B + 1, "ground_war", CORE, duration=war),
          event(B + 1, "casualties", CORE, intensity=0.8 if on["casualties"] else 0.1, duration=war)]  # fmt: skip
    if on["conscription"]:
        ev.append(event(B + 1, "conscription", CORE, duration=war))
    ivs = ()
    if on["elite_division"]:  # no driver sets elite division; it is forced during the war (a manipulation)
        ivs = (Intervention.make(B + 1, "force", column="globe.elite_division", value=0.8, end=B + war),)
    name = "".join("1" if on[f] else "0" for f in P19_FACTORS)
    return arm(name, core(months=P19_MONTHS, events=ev), fw, ivs)


def _p19_arms(fw: str) -> list:
    # The criterion reads the all-four cell and the four three-factor cells; the other eleven cells
    # of the 2^4 factorial are not run (they cost time and enter no statistic).
    cells = [(True,) * 4] + [tuple(j != i for j in range(4)) for i in range(4)]
    return [_p19_cell(dict(zip(P19_FACTORS, bits, strict=True)), fw) for bits in cells]


_SUSTAINED = lambda s: float(cr.longest_above(CORE_ACTIVE, SUSTAINED_LEVEL, B + 1)(s) >= SUSTAINED_MONTHS)  # noqa: E731


def _p19_eval(ens, rng) -> Outcome:
    parts = [cr.share_at_least("1111", _SUSTAINED, 0.6, "share of runs with sustained mass mobilization, all four factors")]
    for i, f in enumerate(P19_FACTORS):
        cell = "".join("0" if j == i else "1" for j in range(4))
        parts.append(cr.share_at_most(cell, _SUSTAINED, 0.35, f"same, without {f}"))
    out = cr.combine(*parts)(ens, rng, "imp")
    return Outcome(out.passed and out.effect.value >= 0.8, out.effect, out.label, out.note + "; all-four share must also be ≥ 0.8")


P19 = Check(
    "P19", "6.3", "Sustained core anti-war mobilization needs casualties, conscription, a long war and elite division together",
    needs=("M76", "M77", "M78", "M79"),
    also=("M87",),
    frameworks=("imp",),
    experiment=("T-CORE from month 25, the all-four cell and the four cells with one factor removed of the 2⁴ factorial "
                "(the only cells the criterion reads): casualties 0.8 vs 0.1, conscription on vs off, war of 60 vs 12 "
                "months, elite division forced to 0.8 during the war vs left to the model. The map's disjunctive "
                "contrast (M87) is a behavioural switch and is not run"),
    observable=f"share of core-class agents active (globe.core_mobilized); 'sustained' = ≥ {SUSTAINED_MONTHS} consecutive months above {SUSTAINED_LEVEL:.0%}",
    statistic="share of seeds with sustained mobilization, per cell",
    criterion="all-four cell ≥ 0.8 with Wilson lower > 0.6; each three-factor cell Wilson upper < 0.35",
    arms=_p19_arms,
    evaluate=lambda ens, rng, fw: _p19_eval(ens, rng),
    columns=("globe.elite_division", "globe.core_mobilized"),
    probes=("globe.core_mobilized",),
)


# P20 ---------------------------------------------------------------------------------------

P20_WAR = 24
P20_MONTHS = B + P20_WAR
LOW_MODES = ("covert", "mercenary", "small_invasion", "aerial_proxy")


def _p20_events(mode: str) -> list[dict]:
    s, d = B + 1, P20_WAR
    return {
        "covert": [event(s, "coup_attempt", TARGET, duration=1)],
        "mercenary": [event(s, "proxy_war", TARGET, duration=d)],
        "small_invasion": [event(s, "ground_war", CORE, duration=2), event(s, "casualties", CORE, intensity=0.02, duration=2)],
        "aerial_proxy": [event(s, "air_war", TARGET, duration=d), event(s, "proxy_war", TARGET, duration=d)],
        "ground_conscript": [event(s, "occupation", TARGET, duration=d), event(s, "ground_war", CORE, duration=d),
                             event(s, "conscription", CORE, duration=d), event(s, "casualties", CORE, intensity=0.5, duration=d)],
    }[mode]  # fmt: skip


def _p20_arms(fw: str) -> list:
    return [arm(m, core(months=P20_MONTHS, events=_p20_events(m)), fw) for m in (*LOW_MODES, "ground_conscript")]


_CORE_MEAN = cr.window(CORE_ACTIVE, B + 1)
_OPINION = cr.change("globe.core_opposition", B, P20_MONTHS)

P20 = Check(
    "P20", "6.3", "Low-casualty intervention modes draw no meaningful core opposition",
    needs=("M82", "M83"),
    frameworks=("imp",),
    experiment=(f"T-CORE for {P20_WAR} months from month {B + 1}, one arm per mode through its drivers: covert (coup attempt), "
                "mercenary (proxy war), small invasion (2-month ground war, casualties 0.02), aerial with proxies "
                "(air war + proxy war), and a conscript ground war (casualties 0.5) as the contrast"),
    observable="share of core-class agents active (globe.core_mobilized); change in core opposition",
    statistic="mean core share active per mode; difference to the conscript ground war; Δ opposition under air war",
    criterion="each low mode's upper bound < 0.005 and below the ground war (CI excluding 0); air-war Δ opposition upper bound ≤ 0.01",
    arms=_p20_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        *[cr.below(m, _CORE_MEAN, 0.005, f"mean core share active, {m}") for m in LOW_MODES],
        *[cr.diff("ground_conscript", m, _CORE_MEAN, f"ground war − {m}") for m in LOW_MODES],
        cr.below("aerial_proxy", _OPINION, 0.01, "Δ core opposition, aerial_proxy"),
    )(ens, rng, fw),
    columns=("globe.core_opposition", "globe.core_mobilized"),
    probes=("globe.core_opposition", "globe.core_mobilized"),
)


# P22 ---------------------------------------------------------------------------------------

P22_MONTHS = B + 48
_C18 = cr.share_of([f"class.core_worker.{s}" for s in ("n_mobilized", "n_organized", "n_armed")],
                   ["class.core_worker.n"], B + 1)  # fmt: skip


def _p22_arms(fw: str) -> list:
    war = [event(B + 1, "ground_war", CORE), event(B + 1, "casualties", CORE, intensity=0.05)]
    cut = [event(B + 1, "core_welfare_cuts", CORE, duration=24)]
    gate = [event(B + 1, "conscription", CORE), event(B + 1, "casualties", CORE, intensity=0.8)]
    mk = lambda name, ev: arm(name, core(months=P22_MONTHS, events=ev), fw)  # noqa: E731
    return [mk("cuts", war + cut), mk("no_cuts", war), mk("gate_cuts", war + gate + cut), mk("gate_no_cuts", war + gate)]


P22 = Check(
    "P22", "6.3", "Falling material conditions alone do not mobilize core workers",
    needs=("M85", "M79"),
    frameworks=("imp",),
    experiment=("T-CORE with a volunteer war and low casualties (0.05); core welfare cuts (D30) for 24 months vs none; "
                "control pair with conscription and casualties 0.8 (the gate opened), reported"),
    observable="share of core workers (C18) active",
    statistic="paired difference cuts − no cuts of the time-mean share",
    criterion="equivalence: 90% CI inside ±0.005 (TOST); precondition: the cuts lower C18 incomes (else not testable: "
              "a null effect of a shock that changes nothing says nothing)",
    arms=_p22_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.equivalent("cuts", "no_cuts", _C18, 0.005, "C18 share active, cuts − no cuts"),
        cr.precondition(cr.diff("cuts", "no_cuts", cr.at("class.core_worker.mean_income", -1),
                                "C18 mean income at the end, cuts − no cuts (the shock must bite)", -1)),
        cr.info(cr.diff("gate_cuts", "gate_no_cuts", _C18, "same with the gate open (control)")),
    )(ens, rng, fw),
    probes=("class_income",),
)


# P23, P24: the US 1966-72 scenario (S-US-66) ----------------------------------------------------

US66 = "us_1966"
MOBILIZED = 0.02  # P23 and P24 are about what happens at and after a core mobilization: it must occur


def _us66(extra_months: int = 0, requests_every: int = 0) -> tuple[dict, int, tuple[int, ...]]:
    """us_1966 with its war's last month, optionally extended with ground-war requests after it."""
    sc = setups.load(US66)
    war_end = setups.last_month(sc, "ground_war")
    core_name = next(c["name"] for c in sc["countries"] if c["regime"] == "core")
    target = next(c["name"] for c in sc["countries"] if c["regime"] != "core")
    requests: tuple[int, ...] = ()
    if extra_months:
        sc["months"] = war_end + extra_months
        requests = tuple(range(war_end + 13, sc["months"] - 12, requests_every))
        sc["timeline"] += [e for m in requests for e in (event(m, "ground_war", core_name, duration=12),
                                                          event(m, "casualties", core_name, intensity=0.3, duration=12),
                                                          event(m, "occupation", target, duration=12))]  # fmt: skip
    return sc, war_end, requests


def _system_at(when: str, war_end: int):
    def f(s):
        mob = cr.col(s, CORE_ACTIVE)
        share = cr.col(s, "core.share_system")
        peak = int(np.argmax(mob[: war_end + 1]))
        return float(share[peak] if when == "peak" else share[min(war_end + 24, share.size - 1)])
    return f


def _p23_eval(ens, rng, fw):
    _, war_end, _ = _us66()
    peak, after = _system_at("peak", war_end), _system_at("after", war_end)
    return cr.combine(
        cr.below("us_1966", peak, 0.5, "system-level share of core active at peak"),
        cr.precondition(cr.above("us_1966", cr.window(CORE_ACTIVE, 1, war_end, "max"), MOBILIZED,
                                 f"peak core mobilization during the war (must exceed {MOBILIZED:.0%})")),
        cr.share_at_least("us_1966", lambda s: float(after(s) < 0.5 * peak(s) or after(s) < 0.02), 0.6,
                          "seeds where it falls after the war"),
    )(ens, rng, fw)


P23 = Check(
    "P23", "6.3", "Core opposition targets aspects of the war, not the imperial system",
    needs=("M80", "M86"),
    frameworks=("imp",),
    experiment="historical scenario us_1966 (S-US-66) as written (its war ends at the month its ground war leaves the timeline)",
    observable="share of active core-class agents whose opposition is system-level (anti-systemic consciousness or "
               "aiming at the imperial state), probe 'core_scope'",
    statistic="share at the month of peak core mobilization, and 24 months after the war ends",
    criterion="peak share upper bound < 0.5; after the war the share is below half its peak value or below 0.02 in "
              "enough seeds (Wilson lower > 0.6); precondition: the core mobilizes (peak above 2%, lower bound)",
    arms=lambda fw: [arm(US66, setups.load(US66), fw)],
    evaluate=_p23_eval,
    columns=("globe.core_mobilized",),
    probes=("core_scope", "globe.core_mobilized"),
)

P24_AFTER = 300
P24_EVERY = 24
GROUND = (INTERVENTION_MODES.index("ground_conscript"), INTERVENTION_MODES.index("ground_volunteer"))


def _p24_eval(ens, rng, fw):
    _, war_end, requests = _us66(P24_AFTER, P24_EVERY)

    def ground_share(y0: int, y1: int):
        def f(s):
            mode = cr.col(s, "globe.intervention_mode")
            asked = [m for m in requests if y0 * 12 <= m - war_end < y1 * 12]
            return np.nan if not asked else float(np.mean([mode[m] in GROUND for m in asked]))
        return f

    def dip(s):
        x = cr.col(s, "globe.military_spending")
        return float(x[war_end] - x[war_end:war_end + 120].min())

    return cr.combine(
        cr.below(US66, ground_share(0, 15), 0.2, "share of requests answered with ground troops, years 0-15"),
        cr.above(US66, dip, 0.0, "military spending dip after the war"),
        cr.below(US66, cr.window(CORE_ACTIVE, war_end + 13, war_end + 180), 0.005, "mean core mobilization, years 1-15"),
        cr.info(cr.above(US66, ground_share(15, 25), 0.0, "share answered with ground troops, years 15-25")),
        cr.precondition(cr.above(US66, cr.window(CORE_ACTIVE, 1, war_end, "max"), MOBILIZED,
                                 f"peak core mobilization during the war (must exceed {MOBILIZED:.0%})")),
    )(ens, rng, fw)


P24 = Check(
    "P24", "6.3", "After a costly mobilization the empire turns to low-visibility modes for about 15 years and cuts spending",
    needs=("M81", "M91"),
    frameworks=("imp",),
    experiment=(f"us_1966 continued for {P24_AFTER} months after its war ends, with a 12-month ground-war request "
                f"(casualties 0.3) every {P24_EVERY} months; the imperial state chooses the mode"),
    observable="mode chosen for each request (globe.intervention_mode), military spending, core mobilization",
    statistic="share of requests answered with ground troops in years 0-15 and 15-25 after the war; spending dip "
              "in the 10 years after; mean core mobilization in years 1-15",
    criterion="ground share 0-15 y upper bound < 0.2; spending dip > 0 (CI excluding 0); core mobilization upper bound "
              "< 0.005 (later ground share reported); precondition: the war mobilizes the core (peak above 2%, lower bound)",
    arms=lambda fw: [arm(US66, _us66(P24_AFTER, P24_EVERY)[0], fw)],
    evaluate=_p24_eval,
    columns=("globe.intervention_mode", "globe.military_spending", "globe.core_mobilized"),
    probes=("globe.intervention_mode", "globe.military_spending", "globe.core_mobilized"),
)


# P25 ---------------------------------------------------------------------------------------

P25_RAMP = 36
P25_MONTHS = B + P25_RAMP + 12


def _p25_arms(fw: str) -> list:
    ev = [event(B + 1, "occupation", TARGET), event(B + 1, "ground_war", CORE), event(B + 1, "casualties", CORE, intensity=0.3)]
    sc = core(months=P25_MONTHS, events=ev)
    end = B + P25_RAMP
    return [arm("ramp", sc, fw, (Intervention.make(B + 1, "ramp", column="globe.core_opposition", start=0.2, stop=0.7, end=end),
                             Intervention.make(end + 1, "force", column="globe.core_opposition", value=0.7, end=P25_MONTHS))),
            arm("flat", sc, fw, (Intervention.make(B + 1, "force", column="globe.core_opposition", value=0.2, end=P25_MONTHS),))]  # fmt: skip


def _within_slope(y: str):
    def f(s):
        return stats.ols_slope(cr.col(s, "globe.core_opposition")[B + 1:B + P25_RAMP + 1], cr.col(s, y)[B + 1:B + P25_RAMP + 1])
    return f


P25 = Check(
    "P25", "6.3", "Military dissent rises and recruitment falls with public opposition",
    needs=("M75", "M88"),
    frameworks=("imp",),
    experiment=(f"T-CORE with an ongoing war; core opposition forced along a ramp 0.2 → 0.7 over {P25_RAMP} months vs "
                "held at 0.2 (a manipulation of state, as the map's 'opinion forced')"),
    observable="globe.recruitment_rate, globe.troop_dissent, globe.deployable_force",
    statistic="per-seed slopes on core opposition in the ramp arm; deployable force at the end, ramp − flat",
    criterion="recruitment slope < 0, dissent slope > 0, deployable-force difference < 0 (95% CIs excluding 0)",
    arms=_p25_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.below("ramp", _within_slope("globe.recruitment_rate"), 0.0, "slope of recruitment on opposition"),
        cr.above("ramp", _within_slope("globe.troop_dissent"), 0.0, "slope of troop dissent on opposition"),
        cr.diff("ramp", "flat", cr.at("globe.deployable_force", -1), "deployable force at the end, ramp − flat", -1),
    )(ens, rng, fw),
    columns=("globe.recruitment_rate", "globe.troop_dissent", "globe.deployable_force"),
    probes=("globe.core_opposition", "globe.recruitment_rate", "globe.troop_dissent", "globe.deployable_force"),
)


# P26 ---------------------------------------------------------------------------------------

P26_MONTHS = B + 18


def _p26_arms(fw: str):
    # 1 core victim vs 60 periphery victims (F19-F20), jailed at month B + 1; the response
    # mechanism counts new jailings as victims (M70). A third arm without victims is the baseline.
    sc = core(months=P26_MONTHS, events=[event(1, "occupation", TARGET)])
    ci, ti = [c["name"] for c in sc["countries"]].index(CORE), [c["name"] for c in sc["countries"]].index(TARGET)
    return [arm("core_victim", sc, fw, (Intervention.make(B + 1, "jail", country=ci, n=1),)),
            arm("periphery_victims", sc, fw, (Intervention.make(B + 1, "jail", country=ti, n=60),)),
            arm("none", sc, fw)]


def _response(s) -> float:
    return float(cr.col(s, "globe.solidarity_response")[B + 1:B + 7].max())


def _p26_eval(ens, rng) -> Outcome:
    base = ens["none"].per_seed(_response)
    a = ens["core_victim"].per_seed(_response) - base
    b = ens["periphery_victims"].per_seed(_response) - base
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]

    def ratio(idx):
        den = b[idx].mean()
        return a[idx].mean() / den if den > 0 else np.nan

    r = ratio(np.arange(a.size)) if a.size else np.nan
    lo, hi = stats.bootstrap(ratio, a.size, rng)
    est = stats.Estimate(float(r), lo, hi, float(np.mean(a > b)) if a.size else np.nan, int(a.size))
    passed = bool(np.isfinite(lo) and lo > 1)
    return Outcome(passed, est, "extra solidarity response, 1 core victim / 60 periphery victims",
                   f"ratio {est.fmt()} ({'ok' if passed else 'FAILS'}; must exceed 1); mean extra response core "
                   f"{np.mean(a) if a.size else float('nan'):.3g}, periphery {np.mean(b) if b.size else float('nan'):.3g}")


P26 = Check(
    "P26", "6.3", "Solidarity is asymmetric: one core victim draws more core response than sixty periphery victims",
    needs=("M70",),
    frameworks=("imp",),
    experiment=("T-CORE with the target occupied; at month 25 one random core agent is jailed, or 60 random agents of the "
                "target (F19-F20 magnitudes, taken literally as agents), or nobody (baseline)"),
    observable="globe.solidarity_response",
    statistic="peak response in the 6 months after, minus the baseline arm's (same seed); ratio of means core / periphery",
    criterion="ratio > 1 with 95% CI excluding 1",
    arms=_p26_arms,
    evaluate=lambda ens, rng, fw: _p26_eval(ens, rng),
    columns=("globe.solidarity_response",),
    probes=("globe.solidarity_response",),
)

CHECKS = (P19, P20, P22, P23, P24, P25, P26)
