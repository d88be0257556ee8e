# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.qms_crm_requirement.tests.common import QmsRequirementCommon


class QmsProcessCommon(QmsRequirementCommon):
    """A window-installation team on the make-and-install template: leader,
    escalation manager, measurer and installer; a UTC calendar working
    Monday to Friday 08:00-12:00 and 13:00-17:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "sales_team.group_sale_salesman"
        cls.leader = new_test_user(
            cls.env,
            "qms_proc_leader",
            groups="sales_team.group_sale_manager",
            name="Lena Leader",
            email="lena@example.com",
        )
        cls.escalation_manager = new_test_user(
            cls.env,
            "qms_proc_manager",
            groups="sales_team.group_sale_manager",
            name="Otto Owner",
            email="otto@example.com",
        )
        cls.measurer = new_test_user(
            cls.env,
            "qms_proc_measurer",
            groups=group,
            name="Mia Measurer",
            email="mia@example.com",
        )
        cls.installer = new_test_user(
            cls.env,
            "qms_proc_installer",
            groups=group,
            name="Ian Installer",
            email="ian@example.com",
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "QMS 8-17 UTC", "tz": "UTC"}
        )
        cls.template = cls.env.ref("qms_crm_process.qms_process_template_make_install")
        ref = cls.env.ref
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS Windows",
                "user_id": cls.leader.id,
                "qms_process_manager_id": cls.escalation_manager.id,
                "qms_process_calendar_id": cls.calendar.id,
                "qms_process_template_to_apply_id": cls.template.id,
                "qms_process_role_ids": [
                    Command.create(
                        {
                            "role_id": ref(
                                "qms_crm_process.qms_process_role_manager"
                            ).id,
                            "user_id": cls.salesman.id,
                        }
                    ),
                    Command.create(
                        {
                            "role_id": ref(
                                "qms_crm_process.qms_process_role_measurer"
                            ).id,
                            "user_id": cls.measurer.id,
                        }
                    ),
                    Command.create(
                        {
                            "role_id": ref(
                                "qms_crm_process.qms_process_role_installer"
                            ).id,
                            "user_id": cls.installer.id,
                        }
                    ),
                ],
            }
        )
        cls.team.action_qms_apply_process()
        cls.stages = cls.env["crm.stage"].search(
            [("team_ids", "in", cls.team.ids)], order="sequence"
        )
        cls.task_call = ref("qms_crm_process.qms_process_task_call_back")
        cls.task_measure = ref("qms_crm_process.qms_process_task_measure")

    @classmethod
    def _stage(cls, name):
        return cls.stages.filtered(lambda s: s.name == name)

    @classmethod
    def _lead(cls, **vals):
        return cls.env["crm.lead"].create(
            dict(
                {
                    "name": "Three windows",
                    "type": "opportunity",
                    "partner_id": cls.customer_a.id,
                    "team_id": cls.team.id,
                    "user_id": cls.salesman.id,
                },
                **vals,
            )
        )

    @classmethod
    def _tasks(cls, lead, active=True):
        return (
            cls.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("qms_process_task_id", "!=", False),
                    ("active", "=", active),
                ]
            )
        )
