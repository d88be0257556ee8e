# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A hand-built October 2016 whose every metric is known (see the numbers
in test_metrics.py): three customers, one of them in two segments, orders in
September and October (one on 30 September at 12:00 UTC, already 1 October in
UTC+14), three deliveries (on time, late only in UTC+14, partial), two
complaints (one confirmed at once, one rejected and reopened), survey
answers and a compensation."""

from datetime import date, datetime

import pytz

from odoo import Command

from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

OCT_FROM = date(2016, 10, 1)
OCT_TO = date(2016, 10, 31)


class QmsMetricsCommon(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tag = cls.env["res.partner.category"]
        cls.seg1 = Tag.create({"name": "Metrics Segment One"})
        cls.seg2 = Tag.create({"name": "Metrics Segment Two"})
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Metrics Team",
                "crm_team_member_ids": [Command.create({"user_id": cls.salesman.id})],
            }
        )
        cls.customer_a.category_id = cls.seg1 | cls.seg2
        cls.customer_b.category_id = cls.seg1
        cls.product.categ_id = cls.env["product.category"].create(
            {"name": "Metrics Panels"}
        )
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True, "email": "g@example.com"}
        )
        Metric = cls.env["qms.metric"]
        cls.Metric = Metric
        # -- orders: 30 each (3 x 10.00 untaxed) ---------------------------
        cls.o_a_sep = cls._dated_order(cls.customer_a, datetime(2016, 9, 15, 12))
        cls.o_b_sep = cls._dated_order(cls.customer_b, datetime(2016, 9, 20, 12))
        cls.o_b_edge = cls._dated_order(cls.customer_b, datetime(2016, 9, 30, 12))
        cls.o_a_oct = cls._dated_order(cls.customer_a, datetime(2016, 10, 10, 12))
        cls.o_c_oct1 = cls._dated_order(cls.customer_c, datetime(2016, 10, 12, 12))
        cls.o_c_oct2 = cls._dated_order(cls.customer_c, datetime(2016, 10, 30, 12))
        # -- deliveries ---------------------------------------------------
        cls._deliver(
            cls.o_a_oct, 3, datetime(2016, 10, 10, 10), datetime(2016, 10, 12, 10)
        )
        # same UTC day, but the next day in UTC+14 than the promise there
        cls._deliver(
            cls.o_c_oct1, 3, datetime(2016, 10, 15, 23), datetime(2016, 10, 15, 9)
        )
        # partial delivery (a backorder is left), on time
        cls._deliver(
            cls.o_c_oct2, 1, datetime(2016, 10, 31, 1), datetime(2016, 10, 31, 9)
        )
        # -- complaints ---------------------------------------------------
        cls.c1 = cls._complaint(cls.customer_a, qms_product_id=cls.product.id)
        cls.c1.action_qms_acknowledge()
        cls._close(cls.c1)
        cls.c1._qms_customer_confirm()
        cls.c2 = cls._complaint(cls.customer_b)
        cls._close(cls.c2)
        cls.c2._qms_customer_reject("Still scratched.")
        cls._close(cls.c2)  # closed again, waiting for the customer's answer
        cls.env["qms.compensation.line"].create(
            {
                "ticket_id": cls.c1.id,
                "kind": "refund",
                "description": "Refund of the scratched panel",
                "amount": 9.0,
            }
        )
        # -- survey answers ----------------------------------------------
        cls.answers = {
            "a_nps": cls._answer(cls.nps, cls.customer_a, {"nps": 10}),
            "b_nps": cls._answer(cls.nps, cls.customer_b, {"nps": 3}),
            "c_nps": cls._answer(cls.nps, cls.customer_c, {"nps": 9}),
            "a_csat": cls._answer(cls.csat, cls.customer_a, {"csat": 5}),
            "c_csat": cls._answer(cls.csat, cls.customer_c, {"csat": 2}),
            "a_ces": cls._answer(cls.ces, cls.customer_a, {"ces": 6}),
            "c_ces": cls._answer(cls.ces, cls.customer_c, {"ces": 4}),
            "c_open": cls._answer(cls.csat, cls.customer_c, {}, done=False),
        }
        # one of the two detractors (b's NPS 3, c's CSAT 2) is followed up at once
        cls.answers["c_csat"].qms_recovery_ticket_id.action_qms_apologise()
        cls.env.flush_all()
        # the events above happened now: move them into October 2016
        cr = cls.env.cr
        cr.execute(
            """UPDATE helpdesk_ticket SET qms_received_date = %s, create_date = %s,
                      qms_acknowledged_date = %s, qms_ack_hours = 2,
                      qms_resolution_hours = 10, closed_date = %s,
                      qms_resolved_date = %s, qms_confirmation_date = %s
                WHERE id = %s""",
            (
                datetime(2016, 10, 5, 9),
                datetime(2016, 10, 5, 9),
                datetime(2016, 10, 5, 10),
                datetime(2016, 10, 6, 9),
                datetime(2016, 10, 6, 9),
                datetime(2016, 10, 7, 9),
                cls.c1.id,
            ),
        )
        cr.execute(
            """UPDATE helpdesk_ticket SET qms_received_date = %s, create_date = %s,
                      closed_date = %s, qms_resolved_date = %s,
                      qms_rejected_date = %s
                WHERE id = %s""",
            (
                datetime(2016, 9, 28, 9),
                datetime(2016, 9, 28, 9),
                datetime(2016, 10, 20, 9),
                datetime(2016, 10, 20, 9),
                datetime(2016, 10, 15, 9),
                cls.c2.id,
            ),
        )
        cr.execute(
            "UPDATE qms_compensation_line SET date = %s WHERE ticket_id = %s",
            (datetime(2016, 10, 6, 9), cls.c1.id),
        )
        days = {
            "a_nps": 8,
            "b_nps": 25,
            "c_nps": 9,
            "a_csat": 8,
            "c_csat": 9,
            "a_ces": 8,
            "c_ces": 9,
            "c_open": 9,
        }
        for key, day in days.items():
            moment = datetime(2016, 10, day, 9)
            cr.execute(
                """UPDATE survey_user_input SET create_date = %s,
                          end_datetime = CASE WHEN state = 'done' THEN %s END
                    WHERE id = %s""",
                (moment, moment, cls.answers[key].id),
            )
        # recovery complaints opened for the detractor are not in October
        cls.env.invalidate_all()

    @classmethod
    def _dated_order(cls, partner, moment):
        order = cls._order(partner=partner, user=cls.salesman)
        order.action_confirm()
        order.date_order = moment
        return order

    @classmethod
    def _deliver(cls, order, quantity, done, promised):
        picking = order.picking_ids
        picking.move_ids.write({"quantity": quantity, "picked": True})
        picking.with_context(skip_backorder=True).button_validate()
        picking.move_ids.write({"date_deadline": promised})
        picking.write({"date_done": done, "date_deadline": promised})
        return picking

    def _metrics(self, group_by=None, tz="UTC"):
        return self.Metric._qms_compute(
            OCT_FROM, OCT_TO, pytz.timezone(tz), self.env.company, group_by
        )
