"""Checks of theory_spec 6.4, regimes, repression and state power (P27, P30-P36; P28, P29 are reserved).

T-REGIME and T-TNC are built from ``teaching_privatization`` by setting the regime type and
regime fields; set-ups that need scenario fields the schema does not have yet (organized base,
movement-backed government, coalition heterogeneity, ...) fail validation and the check
reports "not testable yet" with the schema's message.
"""

from __future__ import annotations

import copy

import numpy as np

from periphery.validation import criteria as cr
from periphery.validation.check import Check, Intervention, Outcome
from periphery.validation.setups import arm, event, org, periphery, rural

B = 24
C = "country.patria."


# P27 ---------------------------------------------------------------------------------------

P27_REP = (0.1, 0.5, 0.9)
P27_MONTHS = B + 72


def _p27_arms(fw: str) -> list:
    arms = []
    for tradition in (0.7, 0.0):
        for r in P27_REP:
            ev = [event(B + 1, "subsidized_imports"), event(B + 1, "structural_adjustment"),
                  event(B + 1, "repression_campaign", intensity=r)]  # fmt: skip
            orgs = [org("peasant_movement", share=0.3, class_base="peasant_farmer", scope="system",
                        leader_linkage=0.8, tactic="blockade")]  # rural-rooted leadership
            sc = rural(months=P27_MONTHS, events=ev, orgs=orgs, repression=r, democratic_space=round(1 - r, 3),
                       traditions={"armed": tradition})  # fmt: skip
            arms.append(arm(f"t{tradition}_r{r}", sc, fw))
    return arms


def _share(cols: tuple[str, ...], den: tuple[str, ...] = ("n_alive",)):
    return cr.share_of([C + c for c in cols], [C + d for d in den], B + 1)


_LEGAL = _share(("n_mobilized", "n_organized"))
_ARMED_OF_ACTIVE = _share(("n_armed",), ("n_mobilized", "n_organized", "n_armed"))
_TOTAL = cr.window(C + "share_active", B + 1)


def _levels(t: float) -> list[tuple[str, float]]:
    return [(f"t{t}_r{r}", r) for r in P27_REP]


P27 = Check(
    "P27", "6.4", "Closing the legal channel shifts the repertoire to armed struggle without lowering total activity",
    needs=("M103", "M104"),
    also=("M3", "M33"),
    frameworks=("imp",),
    experiment=(f"T-RURAL with armed tradition 0.7 and a rural-rooted system-scope peasant organization; subsidized "
                f"imports, SAP and a repression campaign from month {B + 1}; repression ∈ {P27_REP} with democratic "
                "space = 1 − repression. Control: armed tradition 0 (reported)"),
    observable="legal-civil active share of adults (mobilized + organized), armed share of the active, total share active",
    statistic="per-seed slopes on repression of the time means",
    criterion="legal slope < 0 and armed-share slope > 0 (95% CIs excluding 0); total-activity slope lower bound > −0.1 "
              "(less than −0.01 per 0.1 of repression)",
    arms=_p27_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.slope(_levels(0.7), _ARMED_OF_ACTIVE, "slope of armed share of active on repression"),
        cr.slope(_levels(0.7), _LEGAL, "slope of legal-civil share on repression", -1),
        cr.slope_above(_levels(0.7), _TOTAL, -0.1, "slope of total share active on repression"),
        cr.info(cr.slope(_levels(0.0), _ARMED_OF_ACTIVE, "control (no armed tradition): armed-share slope")),
    )(ens, rng, fw),
)


# P30 ---------------------------------------------------------------------------------------

P30_MONTHS = 240
#: the five Cuba factors (E L211-215, M107): scenario fields where the schema has them, state
#: initial values otherwise (old_state_destroyed, cadre_renewal, relative_welfare)
CUBA = {"old_state_destroyed": 1.0, "army_mass_linkage": 0.9, "cadre_renewal": 0.9, "relative_welfare": 0.8,
        "external_partners": 0.8}  # fmt: skip
NO_CUBA = {k: 0.0 for k in CUBA}


def _hostility() -> list[dict]:
    # sustained hostility: embargo throughout, a coup attempt and a 12-month proxy war every 60 months
    ev = [event(1, "blockade")]
    for m in range(B + 1, P30_MONTHS, 60):
        ev += [event(m, "coup_attempt", duration=1), event(m, "proxy_war", duration=12)]
    return ev


def _p30_arms(fw: str):
    arms = {"all_on": {"regime": "revolutionary", **CUBA, "base_organization": 1.0, "conciliator_share": 0.3},
            "all_off": {"regime": "nationalist", **NO_CUBA, "base_organization": 0.0, "coalition_heterogeneity": 0.8,
                        "conciliator_share": 0.3}}  # fmt: skip
    return [arm(n, periphery(months=P30_MONTHS, events=_hostility(), legitimacy=0.6, alignment=0.0, **fields), fw)
            for n, fields in arms.items()]


def _survives(s) -> float:
    # the government of month 1 is still in place at the end (no overthrow, drift, coup or ouster)
    x = cr.col(s, C + "regime")
    return float(x[-1] == x[1] and cr.col(s, C + "regime_changes")[-1] == 0)


def _conciliator_slope(s) -> float:
    x = cr.col(s, C + "conciliator_share")[1:]
    return float(np.polyfit(np.arange(x.size), x, 1)[0])


P30 = Check(
    "P30", "6.4", "Revolutionary regimes with the 'Cuba factors' outlast nationalist ones; hostility shrinks conciliators",
    needs=("M107", "M108", "M111"),
    frameworks=("imp",),
    experiment=(f"T-REGIME, {P30_MONTHS} months of hostility (embargo; a coup attempt and a 12-month proxy war every 60 "
                "months); arms: revolutionary regime with the five Cuba factors and an organized base vs a heterogeneous "
                "nationalist regime without them (the map's one-factor-at-a-time arms enter no criterion and are not run, "
                "to keep the suite within its time budget)"),
    observable="government in place (countries.regime, regime_changes); conciliator share (countries.conciliator_share)",
    statistic="survival to the end, all on − all off; per-month slope of the conciliator share in the all-on arm",
    criterion="survival difference > 0 and conciliator slope < 0 (95% CIs excluding 0)",
    arms=_p30_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("all_on", "all_off", _survives, f"survival to month {P30_MONTHS}, all factors − none"),
        cr.below("all_on", _conciliator_slope, 0.0, "slope of conciliator share per month (all factors)"),
    )(ens, rng, fw),
    columns=("countries.regime_changes", "countries.conciliator_share"),
    probes=("countries.regime_changes", "countries.conciliator_share"),
)


# P31 ---------------------------------------------------------------------------------------

P31_MONTHS = B + 60
P31_COUP = B + 25


def _p31_arms(fw: str):
    arms = []
    for het in (0.2, 0.8):
        for base in (0.0, 1.0):
            sc = periphery(months=P31_MONTHS, events=[event(P31_COUP, "coup_attempt", duration=1), event(B + 1, "structural_adjustment")],
                           regime="nationalist", coalition_heterogeneity=het, base_organization=base)  # fmt: skip
            arms.append(arm(f"het{het}_base{base}", sc, fw))
    return arms


_DEFECTIONS = cr.at(C + "defection_events", P31_COUP - 1)


def _divergence(s) -> float:
    d = np.abs(cr.col(s, C + "foreign_policy_autonomy") - cr.col(s, C + "domestic_policy"))
    return float(d[B + 1:P31_COUP].mean())


def _unorganized_defenders(s) -> float | None:
    org = cr.col(s, C + "coup_defenders_organized")[P31_COUP:P31_COUP + 3]
    share = cr.col(s, C + "coup_defenders")[P31_COUP:P31_COUP + 3]
    return None if share.max() <= 0 else float(1 - org[np.argmax(share)])


P31 = Check(
    "P31", "6.4", "Heterogeneous nationalist regimes without an organized base see defections and a foreign/domestic policy split",
    needs=("M109",),
    also=("M110",),
    frameworks=("imp",),
    experiment=(f"T-REGIME, nationalist government with an SAP; coalition heterogeneity ∈ {{0.2, 0.8}} × organized base "
                f"∈ {{0, 1}}; a coup attempt at month {P31_COUP}"),
    observable="coalition defections before the coup (countries.defection_events); |foreign-policy autonomy − domestic "
               "policy|; share of the government's defenders outside organizations in the coup window",
    statistic="high − low heterogeneity without an organized base; unorganized share of defenders without a base",
    criterion="both differences > 0 (95% CIs excluding 0); defenders ≥ 70% unorganized (lower bound > 0.7) without a base",
    arms=_p31_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("het0.8_base0.0", "het0.2_base0.0", _DEFECTIONS, "defections, heterogeneity 0.8 − 0.2 (no base)"),
        cr.diff("het0.8_base0.0", "het0.2_base0.0", _divergence, "policy divergence, 0.8 − 0.2 (no base)"),
        cr.above("het0.8_base0.0", _unorganized_defenders, 0.7, "unorganized share of defenders (no base)"),
    )(ens, rng, fw),
    columns=("countries.defection_events", "countries.foreign_policy_autonomy", "countries.domestic_policy",
             "countries.coup_defenders_organized"),
    probes=("countries.defection_events", "countries.foreign_policy_autonomy", "countries.domestic_policy",
            "countries.coup_defenders", "countries.coup_defenders_organized"),
)


# P32 (diamond) -------------------------------------------------------------------------------

P32_MONTHS = 60
INHERITED = [event(1, "privatization", intensity=0.5), event(1, "structural_adjustment", intensity=0.5)]


def _p32_arms(fw: str) -> list:
    arms = []
    for name, share in (("low", 0.01), ("high", 0.15)):
        o = org("autonomous_base", share=share, scope="system", power_orientation="independent", form="horizontal",
                tradition=0.5)
        # a movement government that inherits a neo-liberal package (the grievance its base acts on)
        sc = periphery(months=P32_MONTHS, orgs=[o], events=INHERITED, regime="nationalist", base_organization=1.0)
        arms.append(arm(name, sc, fw))
    return arms


_POLICY60 = cr.at(C + "domestic_policy", P32_MONTHS)


def _p32_eval(ens, rng, fw):
    context = (cr.precondition(cr.diff("high", "low", cr.window(C + "autonomous_mobilization", 1),
                                       "autonomous mobilization, high − low (the arms must differ in it)")),
               cr.info(cr.diff("high", "low", cr.at(C + "ouster_count", -1), "ousters by month 60, high − low")))
    if fw == "tnc":
        return cr.combine(cr.diff("high", "low", _POLICY60, "transformative policy at month 60, high − low mobilization"),
                          cr.below("low", _POLICY60, 0.2, "transformative policy at month 60, low mobilization"),
                          *context)(ens, rng, fw)
    # IMP expects drift independent of mobilization: equivalence within ±0.05 of the index
    return cr.combine(cr.equivalent("high", "low", _POLICY60, 0.05, "transformative policy at month 60, high − low"),
                      *context)(ens, rng, fw)


P32 = Check(
    "P32", "6.4", "A left government drifts toward capital's preferred policy unless mobilization from below stays high",
    needs=("M115", "M117", "M118", "M125"),
    needs_by_framework={"tnc": ("M115", "M117", "M118", "M125"), "imp": ("M111",)},
    frameworks=("imp", "tnc"),
    discriminating=True,
    experiment=("T-TNC: a movement-backed (nationalist, organized-base) government at month 0 that inherits a "
                "neo-liberal package (privatization and an SAP at 0.5 stay in force: the grievance its base acts on); "
                "autonomous mobilization via a seeded independent horizontal organization of 1% vs 15% of adults "
                "(tradition 0.5). The map's IMP 'leader_drift_p' arm changes a behavioural parameter and is not run"),
    observable="domestic policy index at month 60 (countries.domestic_policy; 1 = transformative)",
    statistic="paired difference high − low mobilization",
    criterion="TNC: difference > 0 (95% CI excluding 0) and low-arm index < 0.2; IMP: difference equivalent to 0 (90% CI "
              "within ±0.05); precondition: autonomous mobilization higher in the high arm (CI excluding 0)",
    arms=_p32_arms,
    evaluate=_p32_eval,
    columns=("countries.domestic_policy", "countries.autonomous_mobilization"),
    probes=("countries.domestic_policy", "countries.autonomous_mobilization", "countries.ouster_count"),
)


# P33 ---------------------------------------------------------------------------------------

P33_MONTHS = 84


def _p33_arms(fw: str) -> list:
    arms = []
    for agenda in (True, False):
        ev = [event(B + 1, "structural_adjustment")]
        if agenda:
            ev += [event(60, "elections", duration=13), event(60, "electoral_fraud", duration=1)]
        for strat in ("abstain", "adaptive"):
            # rigid abstainers are horizontal with no power orientation (M119's mapping); hybrid ones adapt
            o = org("movement", share=0.2, scope="system", form="horizontal" if strat == "abstain" else "hybrid")
            arms.append(arm(f"{strat}_{'on' if agenda else 'off'}", periphery(months=P33_MONTHS, events=ev, orgs=[o]), fw))
    return arms


_MEMBER_CHANGE = cr.ratio(cr.change("org.0.n_members", 60, 84), cr.at("org.0.n_members", 60), 1)

P33 = Check(
    "P33", "6.4", "Abstaining from state power when it is on the agenda costs members; otherwise it need not",
    needs=("M119", "M120"),
    frameworks=("tnc",),
    experiment=("T-ISSUE variant with an SAP: 2×2 organization strategy (abstain: horizontal, no power orientation; "
                "adaptive: hybrid, no power orientation) × state power on the agenda (elections and fraud at months 60-72) or not"),
    observable="relative change in the organization's members, months 60-84",
    statistic="abstain − adaptive, within each agenda state",
    criterion="(abstain − adaptive | on) < 0 with 95% CI excluding 0; (abstain − adaptive | off) lower bound ≥ −0.02",
    arms=_p33_arms,
    evaluate=lambda ens, rng, fw: _p33_eval(ens, rng, fw),
    probes=("org_activity",),
)


def _p33_eval(ens, rng, fw):
    on = cr.diff("abstain_on", "adaptive_on", _MEMBER_CHANGE, "member change, abstain − adaptive, agenda on", -1)(ens, rng)
    off = cr.diff("abstain_off", "adaptive_off", _MEMBER_CHANGE, "member change, abstain − adaptive, agenda off", -1)(ens, rng)
    off_ok = bool(np.isfinite(off.est.lo) and (off.est.lo >= -0.02 or off.est.hi >= 0))
    return Outcome(on.passed and off_ok, on.est, on.label,
                   f"{on.label}: {on.est.fmt()} ({'ok' if on.passed else 'FAILS'}); {off.label}: {off.est.fmt()} "
                   f"({'ok' if off_ok else 'FAILS'}: CI must include 0 or stay above −0.02)")  # fmt: skip


# P34 ---------------------------------------------------------------------------------------

P34_MONTHS = B + 180


def _p34_arms(fw: str) -> list:
    ev = [event(B + 1, "structural_adjustment"), event(B + 1, "privatization"), event(B + 1, "crisis", duration=48)]
    arms = []
    for vehicle in (False, True):
        # a vehicle of its own: system program, independent, vertical form (M52, M116); without: horizontal
        orgs = [org("indigenous_confederation", share=0.5, class_base="indigenous_community", scope="system",
                    power_orientation="independent", form="vertical" if vehicle else "horizontal", tactic="blockade"),
                org("urban_movement", share=0.2, scope="issue", issue="privatization")]  # fmt: skip
        sc = rural(months=P34_MONTHS, events=ev, orgs=orgs, legitimacy=0.3)
        arms.append(arm("vehicle" if vehicle else "no_vehicle", sc, fw))
    return arms


def _post_minus_pre(s) -> float | None:
    d = np.diff(cr.col(s, C + "ally_defections"))
    part = cr.col(s, C + "share_active")
    ev = np.flatnonzero(d > 0) + 1
    ev = ev[(ev >= 6) & (ev + 6 < part.size)]
    if ev.size == 0:
        return None
    return float(np.mean([part[t + 1:t + 7].mean() - part[t - 6:t].mean() for t in ev]))


P34 = Check(
    "P34", "6.4", "Movements that topple governments without their own vehicle suffer ally defections and lose participation",
    needs=("M121",),
    also=("M52",),
    frameworks=("tnc",),
    experiment=(f"T-RURAL high-grievance variant (SAP, privatization, 48-month crisis; legitimacy 0.3), {P34_MONTHS} months; "
                "an independent system-scope indigenous confederation (half of C3) with a vehicle of its own (vertical) "
                "or without (horizontal)"),
    observable="ally defections (countries.ally_defections), share active, ousters (countries.ouster_count)",
    statistic="share active 6 months after minus 6 months before each defection; ousters per run; defections, vehicle − none",
    criterion="post − pre < 0 (CI excluding 0); ≥ 2 ousters in at least half of the seeds (the map's 240 months "
              "shortened to 180); vehicle arm fewer defections (CI excluding 0)",
    arms=_p34_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.below("no_vehicle", _post_minus_pre, 0.0, "share active after − before a defection"),
        cr.share_point("no_vehicle", lambda s: float(cr.col(s, C + "ouster_count")[-1] >= 2), 0.5,
                       "share of seeds with ≥ 2 ousters in 180 months (at least 0.5)"),
        cr.diff("vehicle", "no_vehicle", cr.at(C + "ally_defections", -1), "defections, vehicle − none", -1),
    )(ens, rng, fw),
    columns=("countries.ally_defections", "countries.ouster_count"),
    probes=("countries.ally_defections", "countries.ouster_count"),
)


# P35 ---------------------------------------------------------------------------------------

P35_MONTHS = 120


def _p35_arms(fw: str) -> list:
    arms = []
    for integ in (0.3, 0.8):
        for mob, share in (("low", 0.01), ("high", 0.15)):
            o = org("autonomous_base", share=share, scope="system", power_orientation="independent", form="horizontal")
            sc = periphery(months=P35_MONTHS, orgs=[o], events=INHERITED, regime="nationalist", base_organization=1.0)
            iv = (Intervention.make(1, "force", column="globe.integration_index", value=integ),)  # initial condition
            arms.append(arm(f"i{integ}_{mob}", sc, fw, iv))
    return arms


def _internal_share(s) -> float | None:
    i, o = cr.col(s, C + "blocked_internal")[-1], cr.col(s, C + "blocked_opposition")[-1]
    return None if i + o == 0 else float(i > o)


P35 = Check(
    "P35", "6.4", "Coalitions with a stake in global capital block transformative policy from within",
    needs=("M124", "M125"),
    frameworks=("tnc",),
    experiment=("T-TNC: movement-backed government (nationalist, organized base) inheriting privatization and an SAP at 0.5; world "
                "integration index set to 0.3 or 0.8 at month 1 × autonomous mobilization low/high (independent "
                "organization of 1% or 15%)"),
    observable="coalition stake in global capital (countries.stake_global); policy blockages by source",
    statistic="share of runs where internal blockages outnumber opposition ones; stake at the end, 0.8 − 0.3",
    criterion="low mobilization: internal share Wilson lower > 0.5 and stake difference > 0; high mobilization lowers internal blockage",
    arms=_p35_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.share_at_least("i0.8_low", _internal_share, 0.5, "runs with mostly internal blockage (integration 0.8, low mobilization)"),
        cr.diff("i0.8_low", "i0.3_low", cr.at(C + "stake_global", -1), "stake in global capital, integration 0.8 − 0.3"),
        cr.diff("i0.8_low", "i0.8_high", cr.at(C + "blocked_internal", -1), "internal blockages, low − high mobilization"),
    )(ens, rng, fw),
    columns=("countries.stake_global", "countries.blocked_internal", "countries.blocked_opposition"),
    probes=("countries.stake_global", "countries.blocked_internal", "countries.blocked_opposition"),
)


# P36 (diamond) -------------------------------------------------------------------------------

P36_MONTHS = 180
P36_ALLIES = (0, 4)  # the criteria compare none with four; 1 and 2 are left out for time


def _p36_arms(fw: str):
    arms = []
    for k in P36_ALLIES:
        sc = periphery(months=P36_MONTHS, events=_hostility()[:1], regime="revolutionary", legitimacy=0.6, alignment=0.0,
                       base_organization=1.0, **CUBA)  # fmt: skip
        base = sc["countries"][0]
        init = list(sc.get("_initial", []))
        for i in range(k):  # allied regimes: smaller revolutionary states with the same factors
            ally = copy.deepcopy(base)
            ally.update(name=f"ally_{i}", population_weight=0.25)
            sc["countries"].append(ally)
            init += [(col, len(sc["countries"]) - 1, v) for col, row, v in sc.get("_initial", []) if row == 0]
        if init:
            sc["_initial"] = init
        arms.append(arm(f"allies{k}", sc, fw))
    return arms


_SURVIVES = _survives


def _p36_eval(ens, rng, fw):
    index = cr.at(C + "domestic_policy", -1)
    if fw == "imp":
        return cr.combine(cr.share_at_least("allies0", _SURVIVES, 0.65, "survival without allies (share of seeds)"))(ens, rng, fw)
    return cr.combine(cr.diff("allies4", "allies0", index, f"transformative index at month {P36_MONTHS}, 4 allies − none"),
                      cr.below("allies0", index, 0.3, "transformative index, no allies"))(ens, rng, fw)


P36 = Check(
    "P36", "6.4", "A transformative regime alone: survives with the Cuba factors (IMP) or decays without a bloc (TNC)",
    needs=("M107",),
    needs_by_framework={"imp": ("M107",), "tnc": ("M114", "M133")},
    frameworks=("imp", "tnc"),
    discriminating=True,
    experiment=(f"T-REGIME/T-TNC: revolutionary regime with the Cuba factors and an organized base under embargo, "
                f"{P36_MONTHS} months; no allies or 4 allied revolutionary regimes (a quarter of its size each) as extra "
                "countries (the map's 1 and 2 allies and the cross-framework gap slope are not run)"),
    observable="government in place; transformative index (countries.domestic_policy)",
    statistic="IMP: survival share without allies; TNC: index with 4 allies − none, index without allies",
    criterion="IMP: survival Wilson lower > 0.65; TNC: difference > 0 (CI excluding 0) and no-ally index upper bound < 0.3",
    arms=_p36_arms,
    evaluate=_p36_eval,
    columns=("countries.regime_changes",),
    probes=("countries.regime_changes", "countries.domestic_policy", "countries.allied_regimes"),
)

CHECKS = (P27, P30, P31, P32, P33, P34, P35, P36)
