"""The predictions of theory_spec section 6 as executable checks over ensembles.

``checks.CHECKS`` holds one ``Check`` per non-reserved prediction (one module per subsection
of section 6, plus ``p48``); ``suite.run`` runs them over seeded ensembles (``ensemble``) and
returns a ``Report``; ``table.markdown`` writes ``docs/validation.md``. Every check reports
"reproduced", "not reproduced" or "not testable yet", with the share of runs in the predicted
direction, the effect and its 95% interval.
"""

from periphery.validation.check import NOT_REPRODUCED, NOT_TESTABLE, REPRODUCED, Check, Result
from periphery.validation.checks import CHECKS, RESERVED, by_id
from periphery.validation.suite import Report, run

__all__ = ["CHECKS", "NOT_REPRODUCED", "NOT_TESTABLE", "REPRODUCED", "RESERVED", "Check", "Report", "Result",
           "by_id", "run"]
