"""Checks of theory_spec 6.5, structural and transnational (P38-P43; P37 is reserved)."""

from __future__ import annotations

import copy

import numpy as np

from periphery.theory.world_schema import TACTICS
from periphery.validation import criteria as cr
from periphery.validation.check import Check, Outcome
from periphery.validation.setups import arm, event, load, org, periphery, rural

B = 24
C = "country.patria."


# P38 ---------------------------------------------------------------------------------------

P38_INFORMAL = (0.2, 0.35, 0.5, 0.7)
P38_MONTHS = B + 72
DISRUPTIVE = tuple(TACTICS.index(t) for t in ("blockade", "building_takeover", "disruption", "social_unionism"))
STRIKE = TACTICS.index("general_strike")
N_P38_ORGS = 3


def _p38_shares(informal: float) -> dict[str, float]:
    base = load("teaching_privatization")["countries"][0]["class_shares"]
    rest = {k: v for k, v in base.items() if k != "informal_unemployed"}
    scale = (1 - informal) / sum(rest.values())
    out = {k: round(v * scale, 6) for k, v in rest.items()}
    out["informal_unemployed"] = round(1 - sum(out.values()), 6)
    return out


def _p38_arms(fw: str) -> list:
    # Multi-class organizations that all start with strikes or demonstrations, so any tilt to
    # disruption has to come from the model, not from the set-up's composition.
    orgs = [org("union_federation", share=0.1, scope="sector", tactic="general_strike"),
            org("popular_front", share=0.1, scope="system", tactic="demonstration"),
            org("neighbourhood_assembly", share=0.1, scope="issue", issue="privatization", tactic="general_strike")]  # fmt: skip
    ev = [event(B + 1, "structural_adjustment"), event(B + 1, "privatization")]
    return [arm(f"inf{x}", periphery(months=P38_MONTHS, events=ev, orgs=orgs, class_shares=_p38_shares(x)), fw)
            for x in P38_INFORMAL]


def _disruption_share(s) -> float:
    t0 = B + 1
    w_dis = w_all = 0.0
    for j in range(N_P38_ORGS):
        act = cr.col(s, f"org.{j}.n_active")[t0:]
        tac = cr.col(s, f"org.{j}.tactic")[t0:]
        w_dis += float((act * np.isin(tac, DISRUPTIVE)).sum())
        w_all += float((act * (np.isin(tac, DISRUPTIVE) | (tac == STRIKE))).sum())
    return w_dis / w_all if w_all > 0 else 0.0


P38 = Check(
    "P38", "6.5", "As informal work spreads, disruption and community tactics gain on strikes",
    needs=("M23", "M63", "M138"),
    needs_by_framework={"imp": ("M23", "M63"), "tnc": ("M138",)},
    also=("M16",),
    frameworks=("imp", "tnc"),
    experiment=(f"teaching composition with the informal/unemployed share set to {P38_INFORMAL} (other classes rescaled); "
                "SAP and privatization from month 25; three multi-class organizations that start with strikes or "
                "demonstrations. Runs under both frameworks (IMP lever M23/M63, TNC lever M138)"),
    observable="participation-weighted tactic mix of the organizations: disruption + community (blockade, takeover, "
               "disruption, social unionism) vs strikes",
    statistic="per-seed slope of the disruption share on the informal share",
    criterion="slope > 0 with 95% CI excluding 0, in each framework",
    arms=_p38_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.slope([(f"inf{x}", x) for x in P38_INFORMAL], _disruption_share, "slope of disruption share on informal share"),
    )(ens, rng, fw),
    probes=("org_activity", "orgs.tactic"),
)


# P39 ---------------------------------------------------------------------------------------

P39_ENTRY = 36
P39_MONTHS = 84


def _p39_arms(fw: str):
    arms = []
    for dest, share in (("us", 0.1), ("china", 0.8)):
        for entry in (True, False):
            ev = [event(P39_ENTRY, "resource_extraction")] if entry else []
            # export destination as the initial share of exports to China (M134's state)
            sc = rural(months=P39_MONTHS, events=ev, indigenous_share=0.5, export_share_china=share)
            arms.append(arm(f"{dest}_{'entry' if entry else 'none'}", sc, fw))
    return arms


_C3 = cr.share_of([f"class.indigenous_community.{s}" for s in ("n_mobilized", "n_organized", "n_armed")],
                  ["class.indigenous_community.n"], P39_ENTRY)  # fmt: skip
_ALIGN = cr.at(C + "alignment", -1)

P39 = Check(
    "P39", "6.5", "Extraction in indigenous territories triggers indigenous resistance whatever the export destination",
    needs=("M132", "M134"),
    also=("M123",),
    frameworks=("tnc",),
    experiment=(f"T-RURAL with a large indigenous population; an extraction project enters at month {P39_ENTRY} or not; "
                "export destination as the initial share of exports going to China, 0.1 (US-bound) or 0.8. Under TNC "
                "the rivalry rule M135 is not in the mechanism set, by design"),
    observable="share of indigenous community members (C3) active after entry; country alignment",
    statistic="entry − no entry (US destination); China − US (with entry) for resistance and alignment",
    criterion="entry effect > 0 (95% CI excluding 0); destination effects equivalent to 0 (90% CI within ±0.005)",
    arms=_p39_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("us_entry", "us_none", _C3, "C3 share active, entry − none"),
        cr.equivalent("china_entry", "us_entry", _C3, 0.005, "C3 share active, China − US"),
        cr.equivalent("china_entry", "us_entry", _ALIGN, 0.005, "alignment, China − US"),
    )(ens, rng, fw),
    probes=("countries.alignment",),
)


# P40 (diamond) -------------------------------------------------------------------------------

P40_MONTHS = 120
P40_COUNTRIES = 5


def _p40_arms(fw: str) -> list:
    sc = periphery(months=P40_MONTHS)
    base = sc["countries"][0]
    sc["countries"] = []
    for i in range(P40_COUNTRIES):
        c = copy.deepcopy(base)
        c["name"] = f"country_{i}"
        sc["countries"].append(c)
    # demand from China rising from 0.05 to 0.5 in ten 12-month steps
    steps = np.linspace(0.05, 0.5, 10)
    sc["timeline"] = [event(1 + 12 * k, "raw_material_demand", f"country_{i}", float(round(v, 3)), duration=12)
                      for i in range(P40_COUNTRIES) for k, v in enumerate(steps)]  # fmt: skip
    return [arm("ramp", sc, fw)]


def _mean_alignment_change(s) -> float:
    cols = [f"country.country_{i}.alignment" for i in range(P40_COUNTRIES)]
    x = sum(cr.col(s, c) for c in cols) / P40_COUNTRIES
    return float(x[-1] - x[0])


def _mean_export_change(s) -> float:
    cols = [f"country.country_{i}.export_share_china" for i in range(P40_COUNTRIES)]
    x = sum(cr.col(s, c) for c in cols) / P40_COUNTRIES
    return float(x[-1] - x[0])


_P40_PRE = cr.precondition(cr.above("ramp", _mean_export_change, 0.0, "Δ mean export share to China (the ramp must move it)"))


def _p40_eval(ens, rng, fw):
    if fw == "imp":  # inter-state rivalry reading: alignment with the US falls
        return cr.combine(cr.below("ramp", _mean_alignment_change, 0.0, "Δ mean alignment over the ramp"), _P40_PRE)(ens, rng, fw)
    est = cr.below("ramp", _mean_alignment_change, 0.02, "Δ mean alignment over the ramp")(ens, rng)
    low = cr.above("ramp", _mean_alignment_change, -0.02, "Δ mean alignment over the ramp")(ens, rng)
    pre = _P40_PRE(ens, rng)
    ok = est.passed and low.passed
    note = (f"{est.label}: {est.est.fmt()} (must lie within ±0.02: {'ok' if ok else 'FAILS'}); {pre.label}: "
            f"{pre.est.fmt()} (precondition {'met' if pre.passed else 'NOT MET'})")
    return Outcome(ok and pre.passed, est.est, est.label, note,
                   untestable="" if pre.passed else f"precondition not met: {pre.label}")


P40 = Check(
    "P40", "6.5", "Rising Chinese raw-material demand: realignment away from the US (rivalry reading) or none (TNC)",
    needs=("M134", "M135"),
    needs_by_framework={"imp": ("M134", "M135"), "tnc": ("M134",)},
    frameworks=("imp", "tnc"),
    discriminating=True,
    experiment=(f"{P40_COUNTRIES} copies of the teaching country; raw-material demand from China rising 0.05 → 0.5 over "
                f"{P40_MONTHS} months. The map's 'alignment_mode' arms are M135 settings; here the framework sets "
                "the reading (IMP: rivalry, TNC: transnational)"),
    observable="mean alignment of the five countries",
    statistic="change over the ramp",
    criterion="IMP: Δ < 0 (95% upper bound < 0); TNC: 95% CI within ±0.02; precondition: the export share to China rises",
    arms=_p40_arms,
    evaluate=_p40_eval,
    probes=("countries.alignment", "countries.export_share_china"),
)


# P41 ---------------------------------------------------------------------------------------

P41_MONTHS = B + 60
SHARES_P41 = {"peasant_farmer": 0.15, "landless_rural_worker": 0.05, "public_employee": 0.1, "teacher_student": 0.07,
              "informal_unemployed": 0.18, "urban_poor": 0.04, "industrial_worker": 0.12, "service_worker": 0.1,
              "small_medium_capitalist": 0.03, "local_bourgeoisie": 0.01, "state_personnel": 0.01, "migrant_worker": 0.14}  # fmt: skip
WORKERS = ("migrant_worker", "informal_unemployed", "industrial_worker", "service_worker")  # M139's two groups


def _p41_arms(fw: str):
    arms = []
    for seg in (0.2, 0.8):
        for centres in (0, 5):
            ev = [event(B + 1, "structural_adjustment"), event(B + 1, "privatization"), event(1, "border_regime", intensity=seg)]
            orgs = [org(f"workers_centre_{i}", share=0.08, class_base="migrant_worker", tactic="social_unionism", scope="sector")
                    for i in range(centres)]  # fmt: skip
            arms.append(arm(f"seg{seg}_c{centres}", periphery(months=P41_MONTHS, events=ev, orgs=orgs, class_shares=SHARES_P41), fw))
    return arms


_WORKERS = cr.share_of([f"class.{c}.{s}" for c in WORKERS for s in ("n_mobilized", "n_organized", "n_armed")],
                       [f"class.{c}.n" for c in WORKERS], B + 1)  # fmt: skip

P41 = Check(
    "P41", "6.5", "Segmented immigrant and national labour mobilizes less, unless informal and immigrant workers are organized",
    needs=("M138", "M139"),
    frameworks=("tnc",),
    experiment=("a receiving country (teaching composition with 14% immigrant workers, the Costa Rica shape of S-CR); "
                "border regime (segmentation, D52) 0.2 vs 0.8 × 0 vs 5 workers' centres of immigrants (8% of them each); "
                "SAP and privatization from month 25"),
    observable="share of immigrant and national workers (C15, C6, C9, C10) active",
    statistic="segmentation main effect without centres; interaction with centres",
    criterion="high segmentation lowers mobilization and centres raise it more at high segmentation (95% CIs excluding 0)",
    arms=_p41_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("seg0.8_c0", "seg0.2_c0", _WORKERS, "workers' share active, segmentation 0.8 − 0.2", -1),
        cr.interaction("seg0.8_c5", "seg0.8_c0", "seg0.2_c5", "seg0.2_c0", _WORKERS, "centres effect at high − at low segmentation"),
    )(ens, rng, fw),
)


# P42 ---------------------------------------------------------------------------------------

P42_MONTHS = B + 48


def _p42_arms(fw: str):
    arms = []
    for linked in (True, False):
        sc = periphery(months=P42_MONTHS)
        home = copy.deepcopy(sc["countries"][0])
        sc["countries"][0].update(name="receiving", class_shares=SHARES_P41)
        home["name"] = "sending"
        sc["countries"].append(home)
        sc["timeline"] = [event(B + 1, "structural_adjustment", "sending"), event(B + 1, "privatization", "sending"),
                          event(B + 1, "crisis", "sending", duration=24)]  # fmt: skip
        if linked:  # migrant communities tie the two countries (D48)
            sc["timeline"].append(event(1, "labor_export", "sending", intensity=0.8, duration=1))
        arms.append(arm("linked" if linked else "cut", sc, fw))
    return arms


_DIASPORA = cr.share_of([f"class.migrant_worker.{s}" for s in ("n_mobilized", "n_organized", "n_armed")],
                        ["class.migrant_worker.n"], B + 1)  # fmt: skip

P42 = Check(
    "P42", "6.5", "Migrant networks carry mobilization across borders",
    needs=("M140",),
    also=("M136",),
    frameworks=("tnc",),
    experiment=("two teaching countries: 'sending' and 'receiving' (14% immigrant workers); migrant ties made by a "
                "labour-export event at month 1 (D48, intensity 0.8) or not; SAP, privatization and a crisis in the "
                "sending country from month 25"),
    observable="share of immigrant workers in the receiving country active, after the shock",
    statistic="paired difference linked − not linked",
    criterion="difference > 0 with 95% CI excluding 0",
    arms=_p42_arms,
    evaluate=lambda ens, rng, fw: cr.combine(cr.diff("linked", "cut", _DIASPORA, "immigrant workers' share active, linked − not"))(ens, rng, fw),
    columns=("agents.migrant_link",),
)


# P43 ---------------------------------------------------------------------------------------

P43_MONTHS = 180


def _p43_arms(fw: str) -> list:
    out = []
    for name, ev in (("none", []), ("uprising", [event(60, "hegemony_crack", duration=1)]),
                     ("both", [event(60, "hegemony_crack", duration=1), event(120, "crisis", duration=24)])):
        out.append(arm(name, periphery(months=P43_MONTHS, events=ev), fw))
    return out


def _orgs_alive(s) -> np.ndarray:
    cols = [cr.col(s, k) for k in s if k.startswith("org.") and k.endswith(".exists")]
    return np.sum(cols, axis=0) if cols else np.zeros_like(cr.col(s, "globe.hegemony"))


def _formation_gain(s) -> float:
    n = _orgs_alive(s)
    return float((n[84] - n[60]) - (n[60] - n[36]))


P43 = Check(
    "P43", "6.5", "Symbolic uprisings and crises erode hegemony; organizations then form faster; capital restructures",
    needs=("M113", "M122", "M137"),
    frameworks=("tnc",),
    experiment=f"teaching country, {P43_MONTHS} months; arms: nothing, a symbolic uprising (hegemony crack) at month 60, and the uprising plus a crisis at month 120",
    observable="globe.hegemony; number of existing organizations; restructurings of the accumulation model (globe.restructurings)",
    statistic="hegemony at month 84, uprising − none; organizations founded in the 24 months after vs before month 60; restructuring",
    criterion="hegemony difference < 0 and formation gain > 0 (95% CIs excluding 0); restructuring only in the uprising-and-crisis arm",
    arms=_p43_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("uprising", "none", cr.at("globe.hegemony", 84), "hegemony at month 84, uprising − none", -1),
        cr.diff("uprising", "none", _formation_gain, "organizations founded after − before, uprising − none"),
        cr.never("none", cr.at("globe.restructurings", -1), "restructurings without uprising or crisis"),
        cr.info(cr.share_at_least("both", lambda s: float(cr.col(s, "globe.restructurings")[-1] > 0), 0.0,
                                  "share of runs restructured, uprising + crisis")),
    )(ens, rng, fw),
    columns=("globe.hegemony", "globe.restructurings"),
    probes=("globe.hegemony", "orgs.exists", "globe.restructurings"),
)

CHECKS = (P38, P39, P40, P41, P42, P43)
