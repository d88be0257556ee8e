# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Complaints rejected by the customer before this addon was installed
    were reopened once: set-based, whatever the number of tickets."""
    env.cr.execute(
        """UPDATE helpdesk_ticket
              SET qms_rejection_count = 1, qms_reopen_count = 1,
                  qms_rejected_date = CASE WHEN qms_confirmation_state = 'rejected'
                                           THEN qms_confirmation_date END
            WHERE qms_rejection_reason IS NOT NULL"""
    )
