# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon

# Monday 2 November 2026, 09:00 UTC; the test calendar works 08-12 and 13-17
# UTC, Monday to Friday
MONDAY_9 = datetime(2026, 11, 2, 9, 0)


class QmsComplaintCommon(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Complaint desk (UTC)",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, start, end in (
                        ("morning", 8, 12),
                        ("afternoon", 13, 17),
                    )
                ],
            }
        )
        cls.leader = new_test_user(
            cls.env,
            "qms_cpl_leader",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Lea Leader",
            email="lea@example.com",
        )
        cls.manager = new_test_user(
            cls.env,
            "qms_cpl_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
            name="Mo Manager",
            email="mo@example.com",
        )
        cls.agent = new_test_user(
            cls.env,
            "qms_cpl_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Ada Agent",
            email="ada@example.com",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaint desk",
                "user_id": cls.leader.id,
                "qms_manager_id": cls.manager.id,
                "qms_calendar_id": cls.calendar.id,
                "user_ids": [Command.set((cls.leader | cls.agent).ids)],
                "qms_target_ids": [
                    Command.create(
                        {"severity": "medium", "ack_hours": 8, "resolution_hours": 40}
                    ),
                    Command.create(
                        {"severity": "high", "ack_hours": 4, "resolution_hours": 16}
                    ),
                ],
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.root_cause = cls.env.ref("qms_crm_complaint.root_cause_late_delivery")

    @classmethod
    def _complaint(cls, **vals):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Delivery two weeks late",
                    "description": "<p>Our order arrived two weeks late.</p>",
                    "partner_id": cls.contact_a.id,
                    "team_id": cls.team.id,
                    "user_id": cls.agent.id,
                    "qms_feedback_kind": "complaint",
                    "qms_channel": "email",
                    "qms_severity": "medium",
                    "qms_received_date": MONDAY_9,
                },
                **vals,
            )
        )
