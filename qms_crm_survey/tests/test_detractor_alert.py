# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestDetractorAlert(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.alert_type = cls.env.ref(
            "qms_crm_customer_insight.mail_activity_type_customer_alert"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.alert_feedback_days", "3"
        )

    def _customer(self, name):
        customer = self.Partner.create(
            {"name": name, "is_company": True, "user_id": self.salesman.id}
        )
        contact = self.Partner.create(
            {"name": f"{name} buyer", "parent_id": customer.id}
        )
        return customer, contact

    def _detractor(self, contact, days_old=5, scores=None, survey=None):
        answer = self._answer(survey or self.nps, contact, scores or {"nps": 2})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE survey_user_input SET end_datetime = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=days_old), answer.id),
        )
        answer.invalidate_recordset(["end_datetime"])
        return answer

    def _alerts(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.alert_type.id),
                ("qms_alert_kind", "=", "feedback"),
            ]
        )

    def test_detractor_without_follow_up_alerts_the_salesperson_once(self):
        ignored, ignored_contact = self._customer("Ignored Detractor")
        answer = self._detractor(ignored_contact)
        self.assertTrue(answer.qms_recovery_ticket_id)
        self.assertFalse(answer.qms_followup_date)
        low_csat, low_csat_contact = self._customer("Low CSAT")
        self._detractor(low_csat_contact, 4, {"csat": 1}, self.csat)
        recent, recent_contact = self._customer("Recent Detractor")
        self._detractor(recent_contact, days_old=1)
        followed, followed_contact = self._customer("Followed-up Detractor")
        self._close(self._detractor(followed_contact).qms_recovery_ticket_id)
        passive, passive_contact = self._customer("Passive")
        self._detractor(passive_contact, scores={"nps": 8})

        self.Partner._cron_qms_customer_alerts()
        alert = self._alerts(ignored)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.salesman)
        self.assertIn("detractor answer(s)", str(alert.note))
        self.assertTrue(answer.qms_alert_date)
        self.assertEqual(len(self._alerts(low_csat)), 1)
        self.assertFalse(self._alerts(recent | followed | passive))

        # once only: not while the alert is open, nor after it is done
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(ignored)), 1)
        alert.action_done()
        self.Partner._cron_qms_customer_alerts()
        self.assertFalse(self._alerts(ignored))
        # a new detractor answer of the same customer alerts again
        second = self._detractor(ignored_contact, days_old=4)
        self.Partner._cron_qms_customer_alerts()
        alert = self._alerts(ignored)
        self.assertEqual(len(alert), 1)
        self.assertTrue(second.qms_alert_date)

    def test_complaint_and_detractor_make_one_alert(self):
        customer, contact = self._customer("Both")
        answer = self._detractor(contact)
        ticket = answer.qms_recovery_ticket_id
        ticket.activity_ids.unlink()
        ticket.message_ids.filtered(
            lambda m: m.message_type == "comment"
        ).subtype_id = self.env.ref("mail.mt_note")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=5), ticket.id),
        )
        candidates = [
            cand
            for cand in self.Partner._qms_negative_feedback_candidates(None)
            if cand["partner_id"] == customer.id
        ]
        self.assertEqual(len(candidates), 1)
        self.assertIn(ticket.number, candidates[0]["reason"])
        self.assertIn("detractor answer(s)", candidates[0]["reason"])
        self.assertEqual(candidates[0]["qms_answer_ids"], answer.ids)
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(customer)), 1)
        self.assertTrue(answer.qms_alert_date)

    def test_limit_is_respected(self):
        for name in ("One", "Two", "Three"):
            self._detractor(self._customer(name)[1])
        self.assertEqual(len(self.Partner._qms_negative_feedback_candidates(2)), 2)
