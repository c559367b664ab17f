"""Checks of theory_spec 6.6, imperial strategy (P44-P47)."""

from __future__ import annotations

import copy

import numpy as np

from periphery.validation import criteria as cr
from periphery.validation.check import Check, Intervention
from periphery.validation.setups import CORE, TARGET, arm, core, event, org, periphery

B = 24
C = "country.patria."


# P44 ---------------------------------------------------------------------------------------

P44_MONTHS = 96
P44_VICTORY = 60


def _p44_arms(fw: str):
    arms = []
    for scope in ("issue", "system"):
        orgs = [org("secular_front", share=0.15, scope=scope, target="regime", goal="secular"),
                org("religious_front", share=0.15, scope=scope, target="regime", goal="religious")]  # fmt: skip
        ev = [event(B + 1, "structural_adjustment"), event(B + 1, "faction_alliance", duration=P44_VICTORY - B - 1)]
        # the common target falls at month 60: a forced ouster, set on the state (an outcome the
        # design imposes to compare before and after victory, mechanism_map P44)
        ivs = (Intervention.make(P44_VICTORY, "force", column="countries.months_since_ouster", row=0, value=0),)
        arms.append(arm(scope, periphery(months=P44_MONTHS, events=ev, orgs=orgs), fw, ivs))
    return arms


def _splits(s):
    cols = [cr.col(s, k) for k in s if k.startswith("org.") and k.endswith(".splits")]
    return np.sum(cols, axis=0) if cols else np.zeros_like(cr.col(s, C + "share_active"))


def _total_splits(s) -> float:
    return float(_splits(s)[-1])


def _post_minus_pre_splits(s) -> float:
    x = _splits(s)
    return float((x[-1] - x[P44_VICTORY]) / (P44_MONTHS - P44_VICTORY) - (x[P44_VICTORY] - x[B]) / (P44_VICTORY - B))


P44 = Check(
    "P44", "6.6", "Divide-and-rule splits issue-bound movements more than system-oriented ones; goal coalitions split after victory",
    needs=("M62", "M94"),
    frameworks=("imp",),
    experiment=("teaching country with a secular and a religious front (15% of adults each) sharing the regime as target, "
                f"an SAP and an imperial alliance with a faction (D32) from month {B + 1} to {P44_VICTORY - 1}; the common "
                f"target falls at month {P44_VICTORY} (forced ouster); arms: both fronts issue-scope vs system-scope"),
    observable="organization splits (orgs.splits, counted by M62 and M94)",
    statistic="splits by the end, issue − system scope; split rate after − before the victory (issue scope)",
    criterion="both > 0 with 95% CIs excluding 0",
    arms=_p44_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("issue", "system", _total_splits, "splits by the end, issue − system scope"),
        cr.above("issue", _post_minus_pre_splits, 0.0, "split rate per month after − before victory, issue scope"),
    )(ens, rng, fw),
    columns=("orgs.splits", "countries.months_since_ouster"),
    probes=("orgs.splits",),
)


# P45 ---------------------------------------------------------------------------------------

P45_MONTHS = B + 72


def _p45_arms(fw: str) -> list:
    arms = []
    for res_name, tradition in (("high", 0.8), ("low", 0.0)):
        for iso in (0.1, 0.8):
            ev = [event(B + 1, "occupation", TARGET), event(B + 1, "ground_war", CORE), event(B + 1, "casualties", CORE, intensity=0.3)]
            sc = core(months=P45_MONTHS, events=ev, **{TARGET: {"traditions": {"armed": tradition, "revolutionary": 0.2, "organizational": 0.3}}})
            iv = (Intervention.make(1, "force", column="globe.isolation", value=iso),)  # initial condition
            arms.append(arm(f"res_{res_name}_iso{iso}", sc, fw, iv))
    return arms


P45 = Check(
    "P45", "6.6", "Rising resistance is followed by imperial militarization and, under isolation, more soft instruments",
    needs=("M95", "M97", "M98", "M99"),
    also=("M141",),
    frameworks=("imp",),
    experiment="T-CORE occupation with armed tradition 0.8 vs 0 in the target (resistance) × isolation 0.1 vs 0.8 at month 1",
    observable="globe.military_spending; share of soft instruments (globe.soft_share)",
    statistic="spending at the end, high − low resistance; soft share, isolation 0.8 − 0.1",
    criterion="both > 0 with 95% CIs excluding 0",
    arms=_p45_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("res_high_iso0.1", "res_low_iso0.1", cr.at("globe.military_spending", -1), "military spending, high − low resistance"),
        cr.diff("res_high_iso0.8", "res_high_iso0.1", cr.window("globe.soft_share", B + 1), "soft-instrument share, isolation 0.8 − 0.1"),
    )(ens, rng, fw),
    columns=("globe.soft_share",),
    probes=("globe.military_spending", "globe.soft_share"),
)


# P46 ---------------------------------------------------------------------------------------

P46_EXPAND = 60
P46_MONTHS = P46_EXPAND + 24


def _p46_arms(fw: str) -> list:
    out = []
    for expand in (True, False):
        sc = core(months=P46_MONTHS, events=[event(B + 1, "occupation", TARGET), event(B + 1, "ground_war", CORE)])
        tgt = next(c for c in sc["countries"] if c["name"] == TARGET)
        for name in ("new_target", "neighbour"):
            c = copy.deepcopy(tgt)
            c.update(name=name, regime="aligned", population_weight=0.5)
            sc["countries"].append(c)
        if expand:
            sc["timeline"].append(event(P46_EXPAND, "war_escalation", "new_target"))
        out.append(arm("expansion" if expand else "none", sc, fw))
    return out


P46 = Check(
    "P46", "6.6", "Expanding the war to new countries raises consciousness in neighbouring populations",
    needs=("M96",),
    frameworks=("imp",),
    experiment=f"T-CORE plus a new target and an untouched neighbour; the war spreads to the new target at month {P46_EXPAND} or not",
    observable="neighbour's mean consciousness and share active, 24 months after",
    statistic="paired difference expansion − none",
    criterion="both > 0 with 95% CIs excluding 0",
    arms=_p46_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("expansion", "none", cr.window("country.neighbour.mean_consciousness", P46_EXPAND), "neighbour mean consciousness, expansion − none"),
        cr.diff("expansion", "none", cr.window("country.neighbour.share_active", P46_EXPAND), "neighbour share active, expansion − none"),
    )(ens, rng, fw),
)


# P47 ---------------------------------------------------------------------------------------

P47_MONTHS = B + 60


def _p47_arms(fw: str) -> list:
    arms = []
    for res_name, tradition in (("high", 0.8), ("low", 0.0)):
        for cas_name, cas in (("high", 0.8), ("low", 0.05)):
            ev = [event(B + 1, "occupation", TARGET), event(B + 1, "ground_war", CORE), event(B + 1, "casualties", CORE, intensity=cas)]
            sc = core(months=P47_MONTHS, events=ev, **{TARGET: {"traditions": {"armed": tradition, "revolutionary": 0.2, "organizational": 0.3}}})
            if tradition:
                sc["organizations"] = [org("resistance", country=TARGET, share=0.05, armed=True, legal=False, tactic="armed_struggle",
                                           scope="system", power_orientation="independent")]  # fmt: skip
            arms.append(arm(f"r{res_name}_c{cas_name}", sc, fw))
    return arms


_CONFLICT = cr.window("globe.inter_imperial_conflict", B + 1)

P47 = Check(
    "P47", "6.6", "Rising periphery resistance together with core costs opens splits within and among imperial powers",
    needs=("M78", "M90"),
    frameworks=("imp",),
    experiment="T-CORE: armed resistance in the target (tradition 0.8 and an armed organization) or not × core casualties 0.8 or 0.05",
    observable="globe.inter_imperial_conflict (and globe.elite_division)",
    statistic="mean conflict index, both-high cell − each single-high cell",
    criterion="both differences > 0 with 95% CIs excluding 0",
    arms=_p47_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("rhigh_chigh", "rhigh_clow", _CONFLICT, "conflict, both high − resistance only"),
        cr.diff("rhigh_chigh", "rlow_chigh", _CONFLICT, "conflict, both high − casualties only"),
    )(ens, rng, fw),
    columns=("globe.inter_imperial_conflict", "globe.elite_division"),
    probes=("globe.inter_imperial_conflict", "globe.elite_division"),
)

CHECKS = (P44, P45, P46, P47)
