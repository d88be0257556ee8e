# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# templates this addon took over from qms_crm 19.0.1.x, where it began
FORMER_TEMPLATES = (
    "portal_helpdesk_ticket_page_close_post",
    "portal_create_ticket_errors",
    "portal_searchbar_notice",
)


def pre_init_hook(env):
    """On a database where qms_crm 19.0.1.x held these templates: take them
    over (same views, same ids) instead of creating them again."""
    env.cr.execute(
        """UPDATE ir_model_data SET module = 'portal_request_hardening'
            WHERE module = 'qms_crm' AND model = 'ir.ui.view' AND name IN %s""",
        [FORMER_TEMPLATES],
    )
