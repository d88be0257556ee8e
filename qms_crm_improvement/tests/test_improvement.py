# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_metrics.tests.common import OCT_FROM, OCT_TO, QmsMetricsCommon


@tagged("post_install", "-at_install")
class TestImprovementLoop(QmsMetricsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        cls.defect = cls.env.ref("qms_crm_complaint.root_cause_product_defect")
        cls.widget = cls.env["product.product"].create(
            {"name": "Pattern Widget", "type": "consu"}
        )
        Param = cls.env["ir.config_parameter"].sudo()
        Param.set_param("qms_crm.pattern_threshold", "3")
        Param.set_param("qms_crm.pattern_days", "30")
        Param.set_param("qms_crm.pattern_user_id", str(cls.qms_manager.id))
        cls.NC = cls.env["mgmtsystem.nonconformity"].with_user(cls.qms_user)

    def _recent(self, n, **vals):
        return self.env["helpdesk.ticket"].concat(
            *[self._complaint(self.customer_a, **vals) for _i in range(n)]
        )

    def test_from_complaint(self):
        action = self.c1.with_user(self.qms_user).action_qms_raise_nonconformity()
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        self.assertEqual(nc.qms_source, "complaint")
        self.assertEqual(nc.qms_ticket_ids, self.c1)
        self.assertEqual(nc.qms_customer_ids, self.customer_a)
        self.assertEqual(nc.partner_id, self.customer_a)
        self.assertEqual(nc.qms_product_id, self.product)
        self.assertEqual(self.c1.qms_nonconformity_ids, nc)
        self.assertEqual(
            nc.origin_ids, self.env.ref("qms_crm_improvement.origin_complaint")
        )
        corrective = nc.action_ids
        self.assertEqual(corrective.type_action, "correction")
        self.assertEqual(corrective.user_id, self.qms_user)
        self.assertEqual(
            corrective.date_deadline,
            # today of the user who raised it (their time zone), as the action
            fields.Date.context_today(self.c1.with_user(self.qms_user))
            + timedelta(days=30),
        )

    def test_from_root_cause(self):
        with self.assertRaises(UserError):
            # c1 and c2 (October 2016) are out of the window
            self.defect.with_user(self.qms_user).action_qms_raise_nonconformity()
        recent = self._recent(2, qms_root_cause_id=self.defect.id)
        other = self._complaint(self.customer_b, qms_root_cause_id=self.defect.id)
        action = self.defect.with_user(self.qms_user).action_qms_raise_nonconformity()
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        self.assertEqual(nc.qms_source, "root_cause")
        self.assertEqual(nc.qms_root_cause_id, self.defect)
        self.assertEqual(nc.qms_ticket_ids, recent | other)
        self.assertEqual(nc.qms_customer_ids, self.customer_a | self.customer_b)
        # several customers: the nonconformity's partner is the company
        self.assertEqual(nc.partner_id, self.env.company.partner_id)

    def test_pattern_alert_never_two_open(self):
        Pattern = self.env["qms.complaint.pattern"]
        self._recent(2, qms_product_id=self.widget.id)
        self.assertFalse(
            Pattern._qms_detect().filtered(lambda p: p.product_id == self.widget)
        )
        self._recent(1, qms_product_id=self.widget.id)
        alert = Pattern._qms_detect().filtered(lambda p: p.product_id == self.widget)
        self.assertEqual(len(alert), 1)
        self.assertEqual(
            (alert.kind, alert.last_count, alert.state), ("product", 3, "open")
        )
        self.assertEqual(alert.activity_ids.user_id, self.qms_manager)
        # a fourth complaint: the open alert is updated, none is added
        self._recent(1, qms_product_id=self.widget.id)
        self.assertFalse(
            Pattern._qms_detect().filtered(lambda p: p.product_id == self.widget)
        )
        self.assertEqual(alert.last_count, 4)
        self.assertEqual(Pattern.search_count([("product_id", "=", self.widget.id)]), 1)
        self.assertEqual(len(alert.activity_ids), 1)
        # the database refuses a second open alert for the pattern
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Pattern.create(
                    {
                        "kind": "product",
                        "product_id": self.widget.id,
                        "company_id": self.env.company.id,
                    }
                )
                self.env.flush_all()
        # raised as a nonconformity, then closed: a new alert may open
        action = alert.with_user(self.qms_user).action_qms_raise_nonconformity()
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        self.assertEqual(nc.qms_source, "pattern")
        self.assertEqual(nc.qms_pattern_id, alert)
        self.assertEqual(len(nc.qms_ticket_ids), 4)
        with self.assertRaises(UserError):
            alert.action_qms_raise_nonconformity()
        alert.with_user(self.qms_user).action_qms_close()
        self.assertFalse(alert.activity_ids)
        again = Pattern._qms_detect().filtered(lambda p: p.product_id == self.widget)
        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, alert)

    def test_from_missed_objective(self):
        objective = self.env["qms.quality.objective"].create(
            {
                "name": "Retain 80 %",
                "metric": "retention",
                "target": 80.0,
                "owner_id": self.salesman_all.id,
            }
        )
        with self.assertRaises(UserError):
            objective.action_qms_raise_nonconformity()
        objective._qms_measure({objective: [(OCT_FROM, OCT_TO, True)]})
        self.assertEqual(objective.status, "missed")
        action = objective.with_user(self.qms_user).action_qms_raise_nonconformity()
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        self.assertEqual(nc.qms_source, "objective")
        self.assertEqual(nc.qms_objective_id, objective)
        self.assertEqual(nc.responsible_user_id, self.salesman_all)
        self.assertIn("50.00", nc.description)
        self.assertEqual(objective.nonconformity_ids, nc)

    def test_tell_customers_once_effective(self):
        action = self.c1.with_user(self.qms_user).action_qms_raise_nonconformity()
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        with self.assertRaises(UserError):
            nc.action_qms_notify_customers()
        nc.action_ids.stage_id = self.env.ref("mgmtsystem_action.stage_close")
        nc.write(
            {
                "action_comments": "Reinforced packaging.",
                "evaluation_comments": "No scratched panel since.",
                "stage_id": self.env.ref("mgmtsystem_nonconformity.stage_done").id,
            }
        )
        nc.with_user(self.qms_user).action_qms_notify_customers()
        comm = self.env["qms.communication"].search(
            [("res_model", "=", nc._name), ("res_id", "=", nc.id)]
        )
        self.assertEqual(comm.partner_id, self.customer_a)
        self.assertEqual(
            comm.topic_id,
            self.env.ref("qms_crm_improvement.qms_communication_topic_improvement"),
        )
        self.assertEqual(comm.state, "done")
        self.assertTrue({"7.4", "10.2"} <= set(comm.qms_clause_ids.mapped("code")))
        self.assertIn(self.customer_a, comm.message_id.partner_ids)
        self.assertIn("No scratched panel since.", str(comm.message_id.body))
        self.assertTrue(nc.qms_customers_notified_date)
        self.assertEqual(nc.qms_communication_count, 1)
        with self.assertRaises(UserError):
            nc.action_qms_notify_customers()
