"""Checks of theory_spec 6.2, class composition of mobilization (P10, P11, P13, P15-P18; P9, P12, P14 are reserved)."""

from __future__ import annotations

import numpy as np

from periphery.validation import criteria as cr
from periphery.validation import stats
from periphery.validation.check import Check, Intervention, Outcome
from periphery.validation.probes import GROUPS
from periphery.validation.setups import BREADTH_DRIVERS, arm, breadth, event, periphery, rural

B = 24
C = "country.patria."
ACTIVE = ("n_mobilized", "n_organized", "n_armed")


def _class_active(names: tuple[str, ...]) -> list[str]:
    return [f"class.{n}.{s}" for n in names for s in ACTIVE]


# P10 ---------------------------------------------------------------------------------------

P10_MONTHS = B + 96
F72 = ("rural", "public", "urban_poor", "workers", "bourgeois")  # theory_spec F72 order, highest first


def _p10_arms(fw: str) -> list:
    ev = [event(B + 1, "subsidized_imports"), event(B + 1, "agro_export_credit"),
          event(B + 1, "crop_eradication", intensity=0.7)]  # fmt: skip
    # The teaching composition (rural classes 28% of adults, not a majority), so a rural lead
    # cannot come from population size alone.
    sc = periphery(months=P10_MONTHS, events=ev, coca_share=0.3, indigenous_share=0.3)
    return [arm("rural_shocks", sc, fw)]


def _group_share(g: str):
    others = [f"group.{x}.n_active" for x in (*GROUPS, "other")]
    return cr.share_of([f"group.{g}.n_active"], others, B + 1)


def _lead(s) -> float:
    shares = {g: _group_share(g)(s) for g in (*GROUPS, "other")}
    return shares["rural"] - max(v for k, v in shares.items() if k != "rural")


def _persistence_lead(s) -> float:
    per = {g: float(np.mean(cr.col(s, f"group.{g}.months_active")[B + 1:])) for g in (*GROUPS, "other")}
    return per["rural"] - max(v for k, v in per.items() if k != "rural")


def _tau(s) -> float:
    rates = []
    for g in F72:  # participation rate of each group (active / members), time-averaged
        members = sum(cr.col(s, f"class.{n}.n") for n in GROUPS[g])
        active = sum(cr.col(s, c) for c in _class_active(GROUPS[g]))
        rates.append(float(np.mean(np.divide(active, members, out=np.zeros_like(active), where=members > 0)[B + 1:])))
    return stats.kendall_tau(np.array(rates), -np.arange(len(F72), dtype=float))


P10 = Check(
    "P10", "6.2", "Peasants and rural producers are the largest and most persistent component of mobilization",
    needs=("M9", "M15", "M16", "M17", "M18", "M19", "M20", "M31"),
    also=("M25", "M26", "M30"),
    frameworks=("imp",),
    experiment=("teaching composition (rural classes 28% of adults) with coca growers; subsidized imports, "
                f"agro-export credit and eradication from month {B + 1}"),
    observable="active agents by class group (rural C1-C3, public C4-C5, urban poor C6-C7, workers C8-C10, "
               "bourgeois C11-C12, other); consecutive months active of active agents by group",
    statistic="time-mean share of the rural group among active agents minus the next largest group's; same for mean months active",
    criterion="both differences > 0 with 95% CIs excluding 0 (Kendall τ with the F72 order reported)",
    arms=_p10_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.above("rural_shocks", _lead, 0.0, "rural share of active − next group's share"),
        cr.above("rural_shocks", _persistence_lead, 0.0, "rural mean months active − next group's"),
        cr.info(cr.above("rural_shocks", _tau, 0.0, "Kendall τ, participation rates vs F72 order")),
    )(ens, rng, fw),
    probes=("groups",),
)


# P11 ---------------------------------------------------------------------------------------

P11_SHOCK = B + 1
P11_END = P11_SHOCK + 12


def _p11_arms(fw: str) -> list:
    erad = [event(P11_SHOCK, "crop_eradication")]
    other = [event(P11_SHOCK, "subsidized_imports")]
    return [arm("eradication", rural(months=P11_END, events=erad, alternative_crop=False), fw),
            arm("eradication_alt", rural(months=P11_END, events=erad, alternative_crop=True), fw),
            arm("income_shock", rural(months=P11_END, events=other, alternative_crop=False), fw)]


def _hit(arm_crop: str, what: str):
    # what: "mean_consciousness" or "share_active"; change over the 12 months after the shock
    return cr.change(f"crop.{arm_crop}.{what}", P11_SHOCK - 1, P11_END)


def _loss(crop: str):
    return cr.combo(lambda a, b: 1 - b / a if a > 0 else np.nan,
                    cr.at(f"crop.{crop}.mean_income", P11_SHOCK - 1), cr.at(f"crop.{crop}.mean_income", P11_END))


def _per_loss(crop: str, what: str):
    return cr.ratio(_hit(crop, what), _loss(crop), min_den=0.01)


def _p11_eval(ens, rng) -> Outcome:
    parts = []
    for what, lab in (("mean_consciousness", "consciousness"), ("share_active", "share active")):
        e0 = ens["eradication"].per_seed(_per_loss("coca", what))
        inc = ens["income_shock"].per_seed(_per_loss("food", what))
        parts.append((f"Δ{lab} per unit income loss, eradication (coca growers) − income shock (food growers)",
                      stats.paired(e0, inc, rng)))
        a = ens["eradication"].per_seed(_hit("coca", what))
        b = ens["eradication_alt"].per_seed(_hit("coca", what))
        parts.append((f"Δ{lab} of coca growers, no alternative crop − alternative crop", stats.paired(a, b, rng)))
    passed = all(np.isfinite(e.lo) and e.lo > 0 for _, e in parts)
    loss_e = ens["eradication"].per_seed(_loss("coca"))
    loss_i = ens["income_shock"].per_seed(_loss("food"))
    note = "; ".join(f"{lab}: {e.fmt()} ({'ok' if np.isfinite(e.lo) and e.lo > 0 else 'FAILS'})" for lab, e in parts)
    note += f"; doses: income loss coca {np.nanmean(loss_e):.3g}, food {np.nanmean(loss_i):.3g}"
    return Outcome(bool(passed), parts[0][1], parts[0][0], note)


P11 = Check(
    "P11", "6.2", "Eradication without an alternative crop triggers more consciousness and mobilization than an equal income loss",
    needs=("M20",),
    also=("M56", "M59"),
    frameworks=("imp",),
    experiment=(f"T-RURAL (coca growers 30% of peasant farmers); shock at month {P11_SHOCK}, observed 12 months; arms: "
                "eradication without alternative crop, eradication with one, and subsidized imports (an income "
                "shock to food growers without eradication). No driver cuts coca growers' income without "
                "eradication, so the income-shock arm's hit group is food growers and responses are taken per "
                "unit of the group's income loss"),
    observable="hit group's mean consciousness and share active (probe 'crops')",
    statistic="12-month change per unit of income loss (eradication vs income shock); raw change (no alternative vs alternative)",
    criterion="all four paired differences > 0 with 95% CIs excluding 0",
    arms=_p11_arms,
    evaluate=lambda ens, rng, fw: _p11_eval(ens, rng),
    probes=("crops",),
)


# P13 ---------------------------------------------------------------------------------------

P13_MONTHS = B + 96
P13_LEVELS = (0.3, 0.6, 1.0)
BOURGEOIS = ("small_medium_capitalist", "local_bourgeoisie")
SHARES_P13 = {"peasant_farmer": 0.2, "landless_rural_worker": 0.05, "indigenous_community": 0.03,
              "public_employee": 0.1, "teacher_student": 0.07, "informal_unemployed": 0.18, "urban_poor": 0.04,
              "maquila_worker": 0.04, "industrial_worker": 0.09, "service_worker": 0.07,
              "small_medium_capitalist": 0.09, "local_bourgeoisie": 0.03, "state_personnel": 0.01}  # fmt: skip


def _p13_arms(fw: str) -> list:
    arms = []
    for s in P13_LEVELS:
        ev = [event(B + 1, "credit_squeeze", intensity=s), event(B + 1, "cheap_imports", intensity=s),
              event(B + 1, "informalization")]  # the labour-flexibility benefit (D51) held on
        arms.append(arm(f"squeeze{s}", periphery(months=P13_MONTHS, events=ev, class_shares=SHARES_P13), fw))
    return arms


_BOURG_SHARE = cr.share_of(_class_active(BOURGEOIS), ["n_active"], B + 1)


def _c12_max(s) -> float:
    return float(sum(cr.col(s, c) for c in _class_active(("local_bourgeoisie",))).max())


P13 = Check(
    "P13", "6.2", "No bourgeois or small-business sector joins, even under high bankruptcy, while labour flexibility benefits it",
    needs=("M29", "M30"),
    also=("M27",),
    frameworks=("imp",),
    experiment=("teaching composition with small and medium capitalists (9%) and local bourgeoisie (3%); credit "
                f"squeeze and cheap imports at intensity {', '.join(map(str, P13_LEVELS))}, with labour "
                "informalization/flexibilization (D51) on throughout"),
    observable="share of C11 ∪ C12 among active agents; C12 active count",
    statistic="time-mean share per arm; maximum C12 active count",
    criterion="at every intensity the share's 95% upper bound < 0.02, and no C12 agent is ever active",
    arms=_p13_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        *[cr.below(f"squeeze{s}", _BOURG_SHARE, 0.02, f"C11∪C12 share of active, intensity {s}") for s in P13_LEVELS],
        *[cr.never(f"squeeze{s}", _c12_max, f"largest C12 active count, intensity {s}") for s in P13_LEVELS],
    )(ens, rng, fw),
)


# P15 ---------------------------------------------------------------------------------------

P15_K = tuple(range(1, len(BREADTH_DRIVERS) + 1))
P15_S = (0.33, 0.67, 1.0)
P15_START = B + 1
P15_MONTHS = P15_START + 36


def _p15_arms(fw: str) -> list:
    return [arm(f"k{k}_s{s}", breadth(k, s, months=P15_MONTHS, start=P15_START), fw)
            for k in P15_K for s in P15_S]


def _p15_eval(ens, rng) -> Outcome:
    peak = cr.window(C + "share_active", P15_START, None, "max")
    cells = [(k, s) for k in P15_K for s in P15_S]
    y = np.column_stack([ens[f"k{k}_s{s}"].per_seed(peak) for k, s in cells])  # seeds x cells
    n = y.shape[0]
    X = np.broadcast_to(np.array(cells, dtype=np.float64), (n, len(cells), 2))
    point, boot = stats.bootstrap_betas2(X, y, rng)
    gaps = boot[:, 0] - boot[:, 1]
    gaps = gaps[np.isfinite(gaps)]
    lo, hi = (np.quantile(gaps, [0.025, 0.975]) if gaps.size > len(boot) // 2 else (np.nan, np.nan))
    per_seed = stats.betas2(X, y)
    est = stats.Estimate(float(point[0] - point[1]), float(lo), float(hi),
                         float(np.mean(per_seed[:, 0] > per_seed[:, 1])), n)  # fmt: skip
    passed = bool(np.isfinite(lo) and lo > 0)
    g = cr.window(C + "mean_grievance", P15_START)
    dose = {f"k{k}": np.nanmean(ens[f"k{k}_s1.0"].per_seed(g)) for k in P15_K}
    note = (f"standardized β(breadth k) {point[0]:.3g}, β(intensity s) {point[1]:.3g}; β_k − β_s {est.fmt()} "
            f"({'ok' if passed else 'FAILS'}); mean grievance at s=1 by k: "
            + ", ".join(f"{k} {v:.3g}" for k, v in dose.items()))
    return Outcome(passed, est, "β(breadth) − β(intensity), standardized", note)


P15 = Check(
    "P15", "6.2", "Protest size scales with the number of class fractions hit more than with the intensity of the hit",
    needs=("M58",),
    frameworks=("imp",),
    experiment=(f"T-BREADTH from the rural composition: the first k of {', '.join(BREADTH_DRIVERS)} (each hits "
                f"different classes) at intensity s from month {P15_START}; k ∈ {P15_K} × s ∈ {P15_S}"),
    observable="peak country share active after the shock",
    statistic="pooled standardized regression peak ~ k + s, seed-clustered bootstrap",
    criterion="β_k − β_s > 0 with 95% CI excluding 0",
    arms=_p15_arms,
    evaluate=lambda ens, rng, fw: _p15_eval(ens, rng),
)


# P16 ---------------------------------------------------------------------------------------

P16_ALCA = (0.0, 0.33, 0.67, 1.0)
P16_MONTHS = B + 60


def _p16_arms(fw: str):
    # Visibility of imperial and IFI decision-makers is raised by ALCA (M10's symbol, M59); the
    # free-trade-agreement driver at intensity a sets it (the only scenario lever on visibility).
    arms = []
    for x in P16_ALCA:
        ev = [event(B + 1, "structural_adjustment")] + ([event(1, "free_trade_agreement", intensity=x)] if x else [])
        arms.append(arm(f"alca{x}", periphery(months=P16_MONTHS, events=ev), fw))
    return arms


def _p16_rho(ens, rng) -> Outcome:
    stat = cr.window("target.mean", B + 1)
    vis = cr.window(C + "visibility", B + 1)
    y = np.column_stack([ens[f"alca{x}"].per_seed(stat) for x in P16_ALCA])
    v = np.column_stack([ens[f"alca{x}"].per_seed(vis) for x in P16_ALCA])
    rho = np.array([stats.spearman(vr, row) for vr, row in zip(v, y)])
    est = stats.mean(rho, rng, 1)
    ifi = cr.diff("alca1.0", "alca0.0", cr.window("target.share_ifi_up", B + 1),
                  "share of active aiming at IFI or imperial state, most − least visible")(ens, rng)
    ok_rho = bool(np.isfinite(est.lo) and est.lo > 0)
    note = (f"Spearman ρ(visibility, mean target level): {est.fmt()} ({'ok' if ok_rho else 'FAILS'}); "
            f"{ifi.label}: {ifi.est.fmt()} ({'ok' if ifi.passed else 'FAILS'}); mean visibility by arm: "
            + ", ".join(f"{m:.2f}" for m in np.nanmean(v, axis=0)))
    return Outcome(ok_rho and ifi.passed, est, "Spearman ρ(visibility, mean target level)", note)


P16 = Check(
    "P16", "6.2", "Visible, attributable policymakers shift protest targets up the hierarchy",
    needs=("M6", "M57", "M59"),
    frameworks=("imp",),
    experiment=(f"T-ISSUE with an SAP from month {B + 1}; the visibility of decision-makers set through the ALCA "
                f"driver (free-trade agreement at intensity {P16_ALCA}; the only scenario lever on visibility, "
                "which also brings ALCA's own effects)"),
    observable="targets of active agents (firm < regime < IFI < imperial state, probe 'targets'); countries.visibility",
    statistic="per-seed Spearman ρ between visibility and mean target level; share at IFI or above, most − least visible",
    criterion="mean ρ > 0 and the share difference > 0, 95% CIs excluding 0",
    arms=_p16_arms,
    evaluate=lambda ens, rng, fw: _p16_rho(ens, rng),
    columns=("agents.target", "countries.visibility"),
    probes=("targets", "countries.visibility"),
)


# P17 ---------------------------------------------------------------------------------------

P17_SHOCK = B + 12
P17_LEN = 12
P17_MONTHS = P17_SHOCK + P17_LEN + 12


def _p17_arms(fw: str):
    # National issues (SAP, ALCA) let localities observe the macro-micro link (M54's linkage).
    ev = [event(B + 1, "structural_adjustment", intensity=0.5), event(1, "free_trade_agreement")]
    sc = periphery(months=P17_MONTHS, events=ev)

    def shock(focal: float, rest: float) -> tuple:
        # grievance held at these levels in the focal localities and in the rest of the country
        end = P17_SHOCK + P17_LEN - 1
        return (Intervention.make(P17_SHOCK, "grievance_shock", focal=True, level=focal, end=end),
                Intervention.make(P17_SHOCK, "grievance_shock", focal=False, level=rest, end=end))

    return [arm("base", sc, fw, shock(P17_LOW, P17_LOW)), arm("local", sc, fw, shock(P17_HIGH, P17_LOW)),
            arm("national", sc, fw, shock(P17_LOW, P17_HIGH))]


P17_LOW, P17_HIGH = 0.3, 0.8
_WIN = (P17_SHOCK, P17_SHOCK + P17_LEN - 1)

P17 = Check(
    "P17", "6.2", "Scale escalation runs both ways: local struggles lift national mobilization and national ones lift local activation",
    needs=("M54", "M55", "M56"),
    also=("M12",),
    frameworks=("imp",),
    experiment=(f"T-ISSUE with a half-intensity SAP and ALCA (links to national issues); for months {_WIN[0]}-{_WIN[1]} "
                f"grievance is held at {P17_LOW} everywhere ('base'), or raised to {P17_HIGH} in the focal localities "
                "(every tenth of the country's localities, 'local') or in all the others ('national'). The schema's "
                "events act on whole countries, so the local shock is set on the state; the map's 'linkage off' arm "
                "changes behavioural parameters and is replaced by the base arm"),
    observable="share active in the part not raised: the rest of the country (upward) or the focal localities (downward)",
    statistic="paired differences local − base and national − base over the shock months",
    criterion="both > 0 with 95% CIs excluding 0",
    arms=_p17_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("local", "base", cr.window("locality.rest.share_active", *_WIN), "share active in the rest of the country, local − base"),
        cr.diff("national", "base", cr.window("locality.focal.share_active", *_WIN), "share active in the focal localities, national − base"),
    )(ens, rng, fw),
    columns=("agents.locality",),
    probes=("localities",),
)


# P18 ---------------------------------------------------------------------------------------

P18_MONTHS = B + 60


def _p18_arms(fw: str):
    ev = [event(B + 1, "structural_adjustment")]
    return [arm("visible", periphery(months=P18_MONTHS, events=[*ev, event(1, "free_trade_agreement")]), fw),
            arm("baseline", periphery(months=P18_MONTHS, events=ev), fw)]


P18 = Check(
    "P18", "6.2", "Consciousness climbs above the economic level only where a causal link is visible",
    needs=("M56", "M59"),
    frameworks=("imp",),
    experiment=(f"T-ISSUE with the same SAP income loss from month {B + 1}; arms with ALCA (decision-makers visible) "
                "and without; agents who observed the macro-micro link compared with those who did not, in the same runs"),
    observable="share at consciousness level political-national or above, among agents with and without an observed link (probe 'levels')",
    statistic="linked − unlinked share at the last month (within runs, visible arm); the largest unlinked share in any month",
    criterion="difference > 0 with 95% CI excluding 0, and no unlinked agent above the economic level in any run (structural zero)",
    arms=_p18_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.above("visible", cr.combo(lambda a, b: a - b, cr.at("level.linked.ge2", -1), cr.at("level.unlinked.ge2", -1)), 0.0,
                 "share above economic level, linked − unlinked agents"),
        cr.never("visible", cr.window("level.unlinked.ge2", 1, None, "max"), "share of unlinked agents above economic level, ALCA arm"),
        cr.never("baseline", cr.window("level.unlinked.ge2", 1, None, "max"), "same, no ALCA"),
        cr.info(cr.diff("visible", "baseline", cr.at("level.ge2", -1), "share above economic level, ALCA − none")),
    )(ens, rng, fw),
    columns=("agents.consciousness_level", "agents.link_observed"),
    probes=("levels",),
)

CHECKS = (P10, P11, P13, P15, P16, P17, P18)
