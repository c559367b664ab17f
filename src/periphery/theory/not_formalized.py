"""M-ids of theory_spec.md section 3 that periphery does not formalize, each with its reason.

The reasons come from the working plan (docs/decisions/mechanism_map.md): a definition or umbrella
statement, a static attribute set as an initial condition, a claim subsumed by another rule, a
normative statement (theory_spec 7.1-7.2), or a rule deferred because no checked prediction needs
it. ``periphery docs`` lists these in docs/mechanisms.md; an M-id that is neither registered nor
listed here is an error there, so the coverage figure cannot drift from the code.
"""

from __future__ import annotations

# M-id -> (deferred, reason). "Deferred" means a rule shape is sketched in the plan and could be
# added later; the others are not rules of the texts in the first place.
NOT_FORMALIZED: dict[str, tuple[bool, str]] = {
    "M8": (False, "accounting magnitude with no dynamics; used only as a calibration note for the intensity of D18/D19 in M9/M15 (F1, F2)."),
    "M13": (False, "locational claim; it emerges from M5–M31 acting in the periphery only. The \"expansion × falling living standards\" interaction is carried as the crisis multiplier `(1 + m_crisis·c.crisis)` inside M21 and M57 (cite E L183 there)."),
    "M14": (False, "umbrella statement; its content is M15–M31."),
    "M24": (False, "subsumed: C5 (teachers, students) is inside the target set of M21 and M57; no separate dynamics stated (E L139)."),
    "M28": (True, "no required prediction or case needs it beyond M7. If promoted: `c.bank_takeover` → C10 layoff prob `0.01·bank_takeover /month`."),
    "M32": (False, "static attribute; scenario initial condition `c.institutional_networking` read by M110 (coup capacity) and M111. No dynamics stated."),
    "M34": (False, "argument against another author (E L191); its content (aligned electoral regimes keep the M33 envelope) is already in M33."),
    "M35": (False, "an observed pattern, not a rule; the four countries are unnamed (spec §7.3 T2). Reported as a descriptive output (movement strength by `electoral_form`), not enforced."),
    "M36": (False, "descriptive typology; heterogeneity is *derived* from member composition (`o.heterogeneity`, §0.3) and read by M66."),
    "M37": (False, "definition. Used as an **observable** (index = mean member `consciousness` × target level × share of popular classes), not as a rule."),
    "M46": (False, "historical contrast (USSR/China past vs now) with no present variation to model; all current orgs are patron-free by construction."),
    "M47": (False, "subsumed as the tactic prior in M63/M67 (periphery orgs start with `tactic = direct_action` prior); no separate dynamics."),
    "M48": (False, "a constraint, encoded as `kind = forum` having zero recruitment and no program; covered by M66/M69."),
    "M50": (True, "no required prediction lists it; P31 uses regime-coalition heterogeneity (M109) instead. If promoted: org dissolution hazard `× (1 + 3·bourgeois_share)`."),
    "M53": (False, "interpretive stance; its operational content (the target hierarchy starts at firm/regime before IFI/imperial) is already in M6/M59."),
    "M60": (False, "explanatory claim; its consequence (recruitment by class-based organizations) is M45."),
    "M61": (True, "not listed by a required check; core/periphery difference is produced by M56 (core agents rarely get `link_observed`) and M80. If promoted: multiply `c56` by `impact_directness` (periphery 1, core 0.2)."),
    "M64": (True, "a feedback loop with no stated strength; M45 (class match in recruitment) plus M63 already produce it partially. If promoted: recruitment `match` × `(1 + 0.5·[tactic=direct_action]·[cls popular])`."),
    "M73": (False, "static characterization, set as initial condition (core orgs `program_scope = issue`, periphery class-based orgs `system`/`sector`); the persistent core outcome is checked through M80."),
    "M89": (True, "only needed as an input to M88, which reads `g.troop_morale`; default `troop_morale = 1 − 0.5·resistance` computed inside M88 as a documented shortcut. If promoted: its own EMA of resistance."),
    "M92": (False, "historical Eastern-Europe case (spec §5.3 only), needs a second hegemon and alignment-switch state that no checked prediction uses."),
    "M93": (False, "justification frames are labels, no dynamics (spec §7.1)."),
    "M95": (True, "only P45 (non-required) uses it. If promoted: `military_spending += m95·counter_hegemony(t−L)`, `L = 12 months`."),
    "M97": (True, "P45 only. If promoted: targeted poor agents `grievance *= 0.8` during the mission, effect decays with 3-month time constant."),
    "M98": (True, "P45 only. If promoted: `c.repression_capacity += 0.1·military_integration`."),
    "M99": (True, "P45 only. If promoted: `soft_share = σ(k(isolation + movement_density − θ))`."),
    "M100": (False, "no dynamics stated beyond the rivalry framing (⚑ X1); the rivalry reading needed by P40 is supplied as the `alignment_mode = \"rivalry\"` branch of M135 (which cites M100 and X1)."),
    "M101": (False, "historical initial condition; scenarios may set an enclave (`subsistence_enclave_share`) directly."),
    "M102": (True, "long-run (decades) hazard with no stated rate; M111 covers the nationalist-regime failure modes needed by P30. If promoted: `elite_mass_distance += 0.002/month`, degeneration hazard `∝ distance × imperial_pressure`."),
    "M126": (True, "the needed cases (S-CR, S-PRY, S-US-IMM) use its sub-mechanisms M128, M129, M139 directly; the wholesale `accumulation_model` switch is needed only by M137's long loop. If promoted: on switch `isi → global`, redraw class shares toward scenario targets at 1 %/month."),
    "M127": (True, "TNC nuance of M27 (T7); no checked prediction separates it. If promoted: a share of C11 bankruptcies in M27 becomes `subcontractor` status with grievance from margin squeeze."),
    "M130": (False, "describes integration; no behavioural effect on mobilization is stated (spec §7.4). Migrant edges needed by M140 are created by M16 (`migrant_link`)."),
    "M131": (False, "a state description (outcome of M129/M128); see spec §7.3 T6 for the calibration choice."),
    "M141": (True, "feeds only M99 (deferred). If promoted: `isolation += 0.1·(votes_against − 0.5)` per D41 event."),
    "M142": (False, "restates the army–mass linkage term of M107; no separate dynamics."),
    "M144": (False, "normative statement (spec §7.2, S2 L25–29)."),
}
