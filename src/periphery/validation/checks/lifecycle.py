"""Checks of theory_spec 6.1, movement life-cycle and organization (P1-P3, P5-P8; P4 is reserved).

Designs follow mechanism_map 2.1; differences forced by the current schema are said in each
check's ``experiment``. Every arm starts with a 24-month burn-in without drivers (mechanism_map
2.0), so month ``B`` is the first month a driver acts.
"""

from __future__ import annotations

import numpy as np

from periphery.theory.organization import TERMINALS
from periphery.theory.regime import SUCCESSORS
from periphery.validation import criteria as cr
from periphery.validation import stats
from periphery.validation.check import Check, Intervention, Outcome
from periphery.validation.setups import arm, event, org, periphery, rural

B = 24  # burn-in months (mechanism_map 2.0)
C = "country.patria."


# P1 ----------------------------------------------------------------------------------------

P1_ON, P1_LEN, P1_AFTER = B + 1, 36, 72
P1_RESOLVED = P1_ON + P1_LEN - 1  # last month the policy is in force


def _p1_arms(fw: str) -> list:
    arms = []
    for scope in ("issue", "sector", "system"):
        linked = scope == "system"
        o = org("movement", share=0.3, scope=scope, issue="privatization", tactic="demonstration",
                target="firm", leader_linkage=0.9 if linked else 0.4,
                power_orientation="independent" if linked else "none")  # fmt: skip
        sc = periphery(months=P1_RESOLVED + P1_AFTER,
                       events=[event(P1_ON, "privatization", duration=P1_LEN)], orgs=[o])  # fmt: skip
        arms.append(arm(scope, sc, fw))
    return arms


_HL = cr.half_life("org.0.n_active", P1_RESOLVED, P1_AFTER)

P1 = Check(
    "P1", "6.1", "Single-issue movements fade once their issue is settled, unless programmatically linked",
    needs=("M38", "M42", "M44"),
    frameworks=("imp",),
    experiment=(f"T-ISSUE from teaching_privatization: privatization in force months {P1_ON}-{P1_RESOLVED}, "
                "then withdrawn; one organization (30% of adults, issue 'privatization'); three arms by "
                "program scope: issue, sector, system (system arm: leader linkage 0.9 and an independent "
                "power orientation)"),
    observable="active members of the organization, each month after the issue is settled",
    statistic=f"half-life: months until active members fall to half their level at settlement (censored at {P1_AFTER})",
    criterion="t½(sector) − t½(issue) > 0 and t½(system) − t½(sector) > 0 (95% CIs excluding 0), "
              "or, if the system arm is censored, share of seeds with t½(system) > 60 has Wilson lower bound > 0.6",
    arms=_p1_arms,
    evaluate=lambda ens, rng, fw: _p1_eval(ens, rng),
    probes=("org_activity",),
)


def _p1_eval(ens, rng) -> Outcome:
    a = cr.diff("sector", "issue", _HL, "t½(sector) − t½(issue), months")(ens, rng)
    b = cr.diff("system", "sector", _HL, "t½(system) − t½(sector), months")(ens, rng)
    c = cr.share_at_least("system", lambda s: _HL(s) > 60, 0.6, "share of seeds with t½(system) > 60")(ens, rng)
    passed = a.passed and (b.passed or c.passed)
    note = "; ".join(f"{r.label}: {r.est.fmt()} ({'ok' if r.passed else 'FAILS'})" for r in (a, b, c))
    return Outcome(passed, a.est, a.label, note + "; the last two are alternatives")


# P2 ----------------------------------------------------------------------------------------

P2_N = 20
P2_MONTHS = 240
TERMINAL = TERMINALS  # orgs.terminal codes: active, residual, dissolved, escalated


def _p2_orgs() -> list[dict]:
    # Deterministic mix (the same in every seed): scope cycles issue/sector/system; linkage
    # alternates low/high; power orientation cycles none/electoral_subordinate/independent.
    out = []
    for j in range(P2_N):
        out.append(org(f"movement_{j}", share=0.02, scope=("issue", "sector", "system")[j % 3],
                       issue="privatization", leader_linkage=(0.3, 0.8)[j % 2],
                       power_orientation=("none", "electoral_subordinate", "independent")[j % 3]))  # fmt: skip
    return out


def _unlinked_escalations(s) -> int:
    # escalations of organizations that were not linked (M44) in the month they escalated
    n = 0
    esc = TERMINAL.index("escalated")
    for j in range(P2_N):
        term = cr.col(s, f"org.{j}.terminal")
        hit = np.flatnonzero(term == esc)
        if hit.size and cr.col(s, f"org.{j}.linked")[hit[0]] < 0.5:
            n += 1
    return n


def _p2_arms(fw: str) -> list:
    sc = periphery(months=P2_MONTHS, events=[event(B + 1, "privatization", duration=36)], orgs=_p2_orgs())
    return [arm("pool", sc, fw)]


def _p2_eval(ens, rng) -> Outcome:
    final = np.array([[s[f"org.{j}.terminal"][-1] for j in range(P2_N)] for s in ens["pool"].runs])
    n_seeds = final.shape[0]
    counts = {t: int((final == i).sum()) for i, t in enumerate(TERMINAL)}
    ended = sum(counts[t] for t in TERMINAL[1:])
    ci = {t: stats.wilson(counts[t], ended) for t in TERMINAL[1:]}
    all_occur = all(counts[t] > 0 for t in TERMINAL[1:])
    rarest = ended > 0 and ci["escalated"][1] < min(ci["residual"][0], ci["dissolved"][0])
    unlinked_esc = int(sum(_unlinked_escalations(s) for s in ens["pool"].runs))
    passed = all_occur and rarest and unlinked_esc == 0
    per_seed_rarest = []
    for row in final:
        c = [(row == TERMINAL.index(t)).sum() for t in ("residual", "dissolved", "escalated")]
        per_seed_rarest.append(c[2] < min(c[0], c[1]))
    p = counts["escalated"] / ended if ended else np.nan
    est = stats.Estimate(p, *ci["escalated"], float(np.mean(per_seed_rarest)), n_seeds)
    note = (f"ended organizations: residual {counts['residual']}, dissolved {counts['dissolved']}, "
            f"escalated {counts['escalated']}, still active {counts['active']} (of {final.size}); "
            f"all three end states occur: {all_occur}; escalation rarest (Wilson upper < others' lower): "
            f"{rarest}; escalations without a linked program: {unlinked_esc} (must be 0)")  # fmt: skip
    return Outcome(passed, est, "share of ended organizations that escalated", note)


P2 = Check(
    "P2", "6.1", "Single-issue movements end residual, absorbed or escalated; escalation is rarest and needs a linked program",
    needs=("M38", "M39", "M40", "M44"),
    frameworks=("imp",),
    experiment=(f"T-ISSUE with {P2_N} single-issue organizations (2% of adults each) whose scope, leader "
                "linkage and power orientation follow a fixed mix; privatization for 36 months; "
                f"{P2_MONTHS} months"),
    observable="terminal state of each organization at the last month (orgs.terminal)",
    statistic="pooled shares of residual / dissolved / escalated; escalations among organizations without a linked program",
    criterion="all three end states occur; share(escalated) Wilson upper < the other two's Wilson lower; "
              "no organization escalates while not linked (orgs.linked: system program and leadership, M44)",
    arms=_p2_arms,
    evaluate=lambda ens, rng, fw: _p2_eval(ens, rng),
    columns=("orgs.terminal", "orgs.linked"),
    probes=("orgs.terminal", "orgs.linked"),
)


# P3 ----------------------------------------------------------------------------------------

P3_MONTHS = B + 36 + 120


def _p3_arms(fw: str) -> list:
    orgs = [org("lcd_movement", share=0.15, scope="issue", issue="privatization", power_orientation="electoral_subordinate"),
            org("independent_movement", share=0.15, scope="issue", issue="privatization", power_orientation="independent")]  # fmt: skip
    sc = periphery(months=P3_MONTHS, events=[event(B + 1, "privatization", duration=36)], orgs=orgs)
    return [arm("both", sc, fw)]


def _lifespan(j: int):
    # months until the movement ends (residual or dissolved); an escalated or active one is censored
    def f(s):
        x = cr.col(s, f"org.{j}.terminal")
        ended = np.flatnonzero(np.isin(x, (TERMINAL.index("residual"), TERMINAL.index("dissolved"))))
        return float(ended[0]) if ended.size else float(x.size - 1)
    return f


def _absorbed(j: int):
    # members lost to party politics (orgs.absorbed, M39) per peak membership
    def f(s):
        peak = cr.col(s, f"org.{j}.n_members").max()
        return np.nan if peak <= 0 else float(cr.col(s, f"org.{j}.absorbed").max() / peak)
    return f


def _p3_eval(ens, rng) -> Outcome:
    runs = ens["both"]
    life = stats.paired(runs.per_seed(_lifespan(1)), runs.per_seed(_lifespan(0)), rng, 1)
    loss = stats.paired(runs.per_seed(_absorbed(0)), runs.per_seed(_absorbed(1)), rng, 1)
    passed = bool(np.isfinite(life.lo) and life.lo > 0 and np.isfinite(loss.lo) and loss.lo > 0)
    note = (f"lifespan(independent) − lifespan(subordinate), months: {life.fmt()} ({'ok' if life.lo > 0 else 'FAILS'}); "
            f"absorbed per peak member, subordinate − independent: {loss.fmt()} ({'ok' if loss.lo > 0 else 'FAILS'})")
    return Outcome(passed, life, "lifespan(independent) − lifespan(subordinate), months", note)


P3 = Check(
    "P3", "6.1", "Lowest-common-denominator or party-subordinated leadership shortens movements and loses more members",
    needs=("M39", "M41"),
    also=("M38", "M40"),
    frameworks=("imp",),
    experiment=("T-ISSUE with two issue-scope organizations of equal size (15% of adults each) in the same "
                "run: one subordinated to party politics (electoral_subordinate), one independent; "
                "privatization for 36 months"),
    observable="months until an organization ends (residual or dissolved; escalated or active runs are censored); "
               "members lost to party politics (orgs.absorbed) per peak member",
    statistic="paired differences between the two organizations of a run, over seeds",
    criterion="lifespan(independent) − lifespan(subordinate) > 0 and absorbed(subordinate) − absorbed(independent) > 0, 95% CIs excluding 0",
    arms=_p3_arms,
    evaluate=lambda ens, rng, fw: _p3_eval(ens, rng),
    columns=("orgs.terminal", "orgs.absorbed"),
    probes=("orgs.terminal", "orgs.absorbed", "org_activity"),
)


# P5 ----------------------------------------------------------------------------------------

P5_MONTHS = B + 120
REVERSED = 0.5  # policy_reversal at or above this counts as a withdrawn policy (M67)


def _p5_arms(fw: str) -> list:
    ev = [event(B + 1, "privatization")]  # never withdrawn by the scenario
    # a Big-Event coalition is multi-class, horizontal, issue-scope, with event tactics (M51, M66)
    big = org("event_coalition", share=0.3, scope="issue", form="horizontal", issue="privatization",
              tactic="demonstration", target="imperial_state", reformer_share=0.5)  # fmt: skip
    sustained = org("direct_action", share=0.3, class_base="informal_unemployed", scope="sector", form="vertical",
                    issue="privatization", tactic="blockade", target="regime")  # fmt: skip
    return [arm("event", periphery(months=P5_MONTHS, events=ev, orgs=[big]), fw),
            arm("sustained", periphery(months=P5_MONTHS, events=ev, orgs=[sustained]), fw)]


_PEAK = cr.window(C + "share_active", B + 1, None, "max")
_INTEGRAL = cr.window(C + "share_active", B + 1, None, "sum")


def _reversed(s) -> float:
    return float((cr.col(s, C + "policy_reversal")[B + 1:] >= REVERSED).any())


def _p5_eval(ens, rng) -> Outcome:
    peak = cr.diff("event", "sustained", _PEAK, "peak share active, Big Event − direct action")(ens, rng)
    rev = cr.diff("sustained", "event", _reversed, "policy reversed within 120 months, direct action − Big Event")(ens, rng)
    # (iii) pooled linear-probability regression of reversal on standardized peak and integral,
    # seed-clustered bootstrap of (beta_integral - beta_peak)
    X = np.stack([np.column_stack([ens[a].per_seed(_PEAK), ens[a].per_seed(_INTEGRAL)]) for a in ("event", "sustained")],
                 axis=1)  # seeds x arms x 2
    y = np.column_stack([ens[a].per_seed(_reversed) for a in ("event", "sustained")])
    betas, boot = stats.bootstrap_betas2(X, y, rng)
    gap = boot[:, 1] - boot[:, 0]
    gap = gap[np.isfinite(gap)]
    lo, hi = np.quantile(gap, [0.025, 0.975]) if gap.size > len(boot) // 2 else (np.nan, np.nan)
    reg_ok = bool(np.isfinite(lo) and lo > 0 and betas[1] > 0)
    passed = peak.passed and rev.passed and reg_ok
    note = (f"{peak.label}: {peak.est.fmt()} ({'ok' if peak.passed else 'FAILS'}); {rev.label}: {rev.est.fmt()} "
            f"({'ok' if rev.passed else 'FAILS'}); standardized β(integral) {betas[1]:.3g}, β(peak) {betas[0]:.3g}, "
            f"β(integral) − β(peak) 95% CI [{lo:.3g}, {hi:.3g}] ({'ok' if reg_ok else 'FAILS'})")  # fmt: skip
    return Outcome(passed, peak.est, peak.label, note)


P5 = Check(
    "P5", "6.1", "Big Events spike higher; sustained direct action wins more policy reversals",
    needs=("M51", "M66", "M67", "M68"),
    frameworks=("imp",),
    experiment=("T-ISSUE with privatization scheduled throughout; arm 'event': a Big-Event coalition (multi-class, "
                "horizontal, issue scope, demonstrations, half reformers; it calls events at the model's own "
                "interval); arm 'sustained': a class-based organization of the informal and unemployed using "
                "blockades; both 30% of their base (member-months are not equalized)"),
    observable="country share active; share of scheduled policies reversed (countries.policy_reversal, M67) reaching 0.5",
    statistic="(i) peak difference; (ii) reversal-within-120-months difference; (iii) pooled regression of reversal "
              "on standardized peak and time-integrated activity",
    criterion="(i) CI > 0; (ii) CI > 0; (iii) β(integral) > 0 and β(integral) − β(peak) CI > 0",
    arms=_p5_arms,
    evaluate=lambda ens, rng, fw: _p5_eval(ens, rng),
    probes=("countries.policy_reversal",),
)


# P6 ----------------------------------------------------------------------------------------

P6_MONTHS = B + 60
P6_HET = (0.1, 0.4, 0.7)


def _p6_arms(fw: str) -> list:
    ev = [event(B + 1, "privatization", duration=24)]
    arms = []
    for h in P6_HET:
        o = org("coalition", share=0.2, scope="issue", form="horizontal", issue="privatization", tactic="demonstration",
                reformer_share=h)
        arms.append(arm(f"het{h}", periphery(months=P6_MONTHS, events=ev, orgs=[o]), fw))
    o = org("class_org", share=0.2, class_base="public_employee", scope="sector", issue="privatization",
            tactic="general_strike", reformer_share=0.1)  # fmt: skip
    arms.append(arm("class_based", periphery(months=P6_MONTHS, events=ev, orgs=[o]), fw))
    return arms


def _retention(s) -> float:
    # members six months after the policy ends per peak membership while it was in force
    mem = cr.col(s, "org.0.n_members")
    peak = mem[B + 1:B + 25].max()
    return np.nan if peak <= 0 else float(mem[B + 24 + 6] / peak)


P6 = Check(
    "P6", "6.1", "Heterogeneous Big-Event coalitions keep fewer ongoing activists than homogeneous class-based organizations",
    needs=("M66",),
    also=("M45",),
    frameworks=("imp",),
    experiment=("T-ISSUE, privatization for 24 months; a Big-Event coalition (multi-class, horizontal, issue scope, "
                "demonstrations) whose reformer share, which sets its heterogeneity (orgs.heterogeneity, M66), is "
                "0.1, 0.4 or 0.7, versus a class-based public-employee organization with reformer share 0.1"),
    observable="members six months after the policy ends / peak members while it was in force",
    statistic="per-seed slope of retention on heterogeneity; class-based − heterogeneity-0.7 difference",
    criterion="slope < 0 and difference > 0, 95% CIs excluding 0",
    arms=_p6_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.slope([(f"het{h}", h) for h in P6_HET], _retention, "slope of retention on heterogeneity", -1),
        cr.diff("class_based", "het0.7", _retention, "retention, class-based − heterogeneous (0.7)"),
    )(ens, rng, fw),
    probes=("org_activity",),
)


# P7 ----------------------------------------------------------------------------------------

P7_K = 60 + B
P7_MONTHS = P7_K + 60


def _p7_scenario() -> dict:
    ev = [event(B + 1, "subsidized_imports"), event(B + 1, "crop_eradication", intensity=0.6),
          event(B + 1, "structural_adjustment", intensity=0.7)]  # fmt: skip
    orgs = [org("peasant_syndicate", share=0.4, class_base="peasant_farmer", scope="system", tactic="blockade",
                target="imperial_state", issue="crop_eradication", leader_linkage=0.8, tradition=0.5),
            org("teachers_union", share=0.4, class_base="teacher_student", scope="sector", tactic="general_strike"),
            org("public_union", share=0.4, class_base="public_employee", scope="sector", tactic="general_strike"),
            org("landless_movement", share=0.3, class_base="landless_rural_worker", scope="sector", tactic="building_takeover")]  # fmt: skip
    return rural(months=P7_MONTHS, events=ev, orgs=orgs, traditions={"organizational": 0.7})


def _p7_arms(fw: str) -> list:
    sc = _p7_scenario()
    return [arm("orgs_removed", sc, fw, (Intervention.make(P7_K + 1, "knockout_orgs", k=3),)),
            arm("random_removed", sc, fw, (Intervention.make(P7_K + 1, "knockout_random", k=3),))]


P7 = Check(
    "P7", "6.1", "Mobilization spreads through organizations: removing organizations hurts more than removing as many random people",
    needs=("M45", "M49"),
    frameworks=("imp",),
    experiment=(f"T-RURAL with four class-based organizations and subsidized imports, eradication and an SAP; at "
                f"month {P7_K + 1} arm O removes the members of the 3 largest organizations (and the organizations), "
                "arm R removes the same number of non-members of the same classes (same seed: identical until then)"),
    observable=f"country share active (of those present), months {P7_K + 1}-{P7_MONTHS}",
    statistic="paired difference of mean share active, R − O",
    criterion="R − O > 0 with 95% CI excluding 0",
    arms=_p7_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.diff("random_removed", "orgs_removed", cr.window(C + "share_active", P7_K + 1),
                "mean share active after knock-out, random − organizations"),
    )(ens, rng, fw),
)


# P8 ----------------------------------------------------------------------------------------

P8_MONTHS = B + 120


def _p8_arms(fw: str) -> list:
    ev = [event(B + 1, "structural_adjustment"), event(B + 1, "crisis"), event(B + 1, "privatization")]
    issue_orgs = [org("anti_sap", share=0.2, scope="issue", issue="structural_adjustment"),
                  org("anti_privatization", share=0.2, scope="issue", issue="privatization")]  # fmt: skip
    program = org("power_project", share=0.3, scope="system", power_orientation="independent", form="vertical",
                  leader_linkage=0.9)  # a vehicle of its own (M52, M116)
    base = dict(months=P8_MONTHS, events=ev, legitimacy=0.3)
    return [arm("no_program", periphery(orgs=issue_orgs, **base), fw),
            arm("program", periphery(orgs=[*issue_orgs, program], **base), fw)]


MOVEMENT = SUCCESSORS.index("movement")


def _ousted(s) -> float:
    return float(cr.col(s, C + "ouster_count")[-1] > 0)


def _movement_government(s) -> np.ndarray:
    return (cr.col(s, C + "last_successor") == MOVEMENT) & (cr.col(s, C + "holds_state") > 0.5)


def _holds24(s) -> float:
    best = cur = 0
    for v in _movement_government(s):
        cur = cur + 1 if v else 0
        best = max(best, cur)
    return float(best >= 24)


def _elite_successor(s) -> float | None:
    # among runs with an ouster: no ouster was ever followed by a movement government
    return None if not _ousted(s) else float(not _movement_government(s).any())


P8 = Check(
    "P8", "6.1", "Large movements without a power project oust governments but do not hold power",
    needs=("M52", "M121"),
    also=("M22",),
    frameworks=("imp",),
    experiment=("T-ISSUE variant with SAP, crisis and privatization from month 25 and legitimacy 0.3; arm "
                "'no_program': two issue organizations; arm 'program': the same plus a system-scope, "
                "independent, vertical organization (a vehicle of its own) of 30% of adults"),
    observable="ousters (countries.ouster_count); successor type (countries.last_successor: elite, ally, movement); "
               "months with a movement government",
    statistic="P(successor from elites or allies | ouster, no program); movement government held 24 months, program − no program",
    criterion="first share Wilson lower > 0.8; difference > 0 with 95% CI excluding 0",
    arms=_p8_arms,
    evaluate=lambda ens, rng, fw: cr.combine(
        cr.share_at_least("no_program", _elite_successor, 0.8, "share of ousters without a 24-month movement government (no program)"),
        cr.diff("program", "no_program", _holds24, "movement government held 24 months, program − no program"),
        cr.info(cr.share_at_least("no_program", _ousted, 0.0, "share of runs with an ouster (no program)")),
    )(ens, rng, fw),
    columns=("countries.ouster_count", "countries.last_successor", "countries.holds_state"),
    probes=("countries.ouster_count", "countries.last_successor", "countries.holds_state"),
)

CHECKS = (P1, P2, P3, P5, P6, P7, P8)
