# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from .models import survey_backfill

_logger = logging.getLogger(__name__)


def pre_init_hook(env):
    """Installing on a database with years of answers: the stored scores and
    dimensions are created and filled by set-based SQL here, so the ORM finds
    the columns and computes nothing row by row (no question is tagged as a
    measure yet: the scores are empty, the customers and salespeople are
    filled)."""
    if survey_backfill.create_columns(env.cr):
        count = survey_backfill.rewrite_dimensions(env.cr)
    else:
        # columns left by an earlier install: computed from the lines
        survey_backfill.update_scores(env.cr)
        count = survey_backfill.update_dimensions(env.cr)
    _logger.info("Survey answers: scores and dimensions of %s answers filled", count)
