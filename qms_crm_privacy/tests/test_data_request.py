# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data subject requests: deadlines, overdue activities, export of
everything we hold about a person, erasure with and without legal holds."""

import base64
import io
import json
import zipfile
from datetime import date

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones
from odoo.addons.qms_crm_property.tests.common_property import QmsPropertyCommon
from odoo.addons.qms_crm_requirement.tests.common import QmsRequirementCommon


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestDataRequest(QmsPropertyCommon, QmsRequirementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a private person with something in every section of qms_crm
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Petra Person",
                "email": "petra@example.com",
                "phone": "+32 470 00 00 01",
                "street": "1 Privacy Lane",
                "city": "Ghent",
                "function": "Buyer",
            }
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Oscar Other", "email": "oscar@example.com", "phone": "+1 555"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "QMS DSR"})
        cls.closed_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        for partner, tag in ((cls.person, "PETRA"), (cls.other, "OSCAR")):
            cls.env["crm.lead"].create(
                {
                    "name": f"Lead {tag}",
                    "partner_id": partner.id,
                    "contact_name": partner.name,
                    "email_from": partner.email,
                }
            )
            ticket = cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Ticket {tag}",
                    "description": f"<p>Ticket body {tag}</p>",
                    "partner_id": partner.id,
                    "partner_name": partner.name,
                    "partner_email": partner.email,
                    "team_id": cls.team.id,
                }
            )
            ticket.stage_id = cls.closed_stage
            order = cls._order(partner, client_order_ref=f"REF-{tag}")
            order.action_cancel()
            cls._requirement(partner, name=f"Requirement {tag}")
            item = cls._property(partner, name=f"Drawing {tag}", kind="document")
            item.return_to = partner.name
            item.action_return()
            cls.env["ir.attachment"].create(
                {
                    "name": f"photo-{tag}.txt",
                    "raw": f"photo of {tag}".encode(),
                    "res_model": "qms.property",
                    "res_id": item.id,
                }
            )

    def _request(self, partner=None, kind="access", verified=True, **vals):
        req = (
            self.env["qms.data.request"]
            .with_user(self.dpo)
            .create(
                dict(
                    {
                        "partner_id": (partner or self.person).id,
                        "kind": kind,
                        "identity_method": "ID card seen",
                    },
                    **vals,
                )
            )
        )
        if verified:
            req.action_verify_identity()
        return req

    # ------------------------------------------------------------------
    def test_due_date_is_one_month_and_extends_once_by_two(self):
        req = self._request(received_date=date(2026, 1, 31), verified=False)
        self.assertTrue(req.reference.startswith("DSR/"))
        self.assertEqual(req.due_date, date(2026, 2, 28))
        with self.assertRaisesRegex(UserError, "Extension Reason"):
            req.action_extend()
        req.extension_reason = "Many records across three systems"
        req.action_extend()
        self.assertEqual(req.due_date, date(2026, 4, 30))
        with self.assertRaisesRegex(UserError, "already been extended once"):
            req.action_extend()

    def test_identity_must_be_verified_first(self):
        req = self._request(verified=False, identity_method=False)
        with self.assertRaisesRegex(UserError, "Verify the identity"):
            req.action_export()
        with self.assertRaisesRegex(UserError, "Identity Checked by"):
            req.action_verify_identity()
        req.identity_method = "Reply from the registered address"
        req.action_verify_identity()
        self.assertEqual(req.state, "in_progress")
        self.assertEqual(req.identity_verified_by_id, self.dpo)

    def test_overdue_requests_get_one_dpo_activity(self):
        dpo2 = self.dpo.copy({"login": "qms_dpo2", "name": "Dora Officer"})
        late = self._request(received_date=date(2020, 1, 1))
        late_unassigned = self._request(received_date=date(2020, 1, 1), user_id=False)
        on_time = self._request()
        done = self._request(received_date=date(2020, 1, 1), kind="objection")
        done.response_note = "We stopped the processing."
        done.action_done()
        Request = self.env["qms.data.request"]
        self.assertTrue(late.overdue)
        self.assertFalse(on_time.overdue)
        self.assertFalse(done.overdue)
        overdue = Request.search([("overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(on_time, overdue)
        self.assertNotIn(done, overdue)
        Request._cron_notify_overdue()
        activity_type = self.env.ref(
            "qms_crm_privacy.mail_activity_type_data_request_overdue"
        )
        self.assertEqual(late.activity_ids.activity_type_id, activity_type)
        self.assertEqual(late.activity_ids.user_id, self.dpo)
        # no responsible: every data protection officer is told
        self.assertLessEqual(self.dpo | dpo2, late_unassigned.activity_ids.user_id)
        self.assertFalse(on_time.activity_ids)
        self.assertFalse(done.activity_ids)
        self.assertTrue(late.overdue_notified_at)
        # once: a second run creates nothing more
        Request._cron_notify_overdue()
        self.assertEqual(len(late.activity_ids), 1)
        # closing the request closes its overdue activity
        late.response_note = "Answered"
        late.kind = "rectification"
        late.action_done()
        self.assertFalse(late.activity_ids)

    def test_export_contains_every_section_and_nothing_of_other_people(self):
        req = self._request()
        action = req.action_export()
        self.assertIn(f"/web/content/{req.export_attachment_id.id}", action["url"])
        self.assertEqual(req.exported_by_id, self.dpo)
        self.assertTrue(req.exported_at)
        self.assertIn(req.export_attachment_id, req.message_ids.attachment_ids)
        raw = base64.b64decode(req.export_attachment_id.datas)
        archive = zipfile.ZipFile(io.BytesIO(raw))
        data = json.loads(archive.read("data.json"))
        sections = data["sections"]
        for key in (
            "partner",
            "leads",
            "orders",
            "order_lines",
            "tickets",
            "requirements",
            "property",
            "data_requests",
        ):
            with self.subTest(section=key):
                self.assertTrue(sections[key]["records"], key)
        dumped = json.dumps(data)
        for text in (
            "petra@example.com",
            "Lead PETRA",
            "REF-PETRA",
            "Ticket PETRA",
            "Requirement PETRA",
            "Drawing PETRA",
        ):
            self.assertIn(text, dumped)
        for text in ("OSCAR", "Oscar", "oscar@example.com"):
            self.assertNotIn(text, dumped)
        names = archive.namelist()
        photo = [n for n in names if n.startswith("attachments/property/")]
        self.assertEqual(len(photo), 1)
        self.assertIn("photo-PETRA", photo[0])
        self.assertEqual(archive.read(photo[0]), b"photo of PETRA")
        self.assertFalse([n for n in names if "OSCAR" in n])

    def test_erasure_is_refused_while_a_legal_hold_applies(self):
        order = self._order(self.person)
        self.assertEqual(order.state, "draft")
        item = self._property(self.person, name="Held gauge")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Open complaint",
                "description": "<p>Broken</p>",
                "partner_id": self.person.id,
                "qms_feedback_kind": "complaint",
            }
        )
        req = self._request(kind="erasure")
        self.assertIn(order.name, req.legal_hold_text)
        self.assertIn("Open complaints", req.legal_hold_text)
        self.assertIn(item.display_name, req.legal_hold_text)
        with self.assertRaisesRegex(UserError, "cannot be erased now") as caught:
            req.action_erase()
        self.assertIn(f"Open orders: {order.name}", str(caught.exception))
        self.assertIn(ticket.display_name, str(caught.exception))
        self.assertEqual(self.person.name, "Petra Person")
        self.assertTrue(self.person.active)
        req.action_refuse_for_legal_hold()
        self.assertEqual(req.state, "refused")
        self.assertIn(order.name, req.response_note)
        # invoices inside the retention period are a hold too
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.invoice_retention_years", "5"
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.other.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "quantity": 1, "price_unit": 100}
                    )
                ],
            }
        )
        invoice.action_post()
        holds = self.other._qms_erasure_holds()
        self.assertIn(f"Unpaid invoices: {invoice.name}", holds)
        self.assertIn(
            "Internal user accounts",
            " ".join(self.dpo.partner_id._qms_erasure_holds()),
        )
        invoice.payment_state = "paid"
        holds = self.other._qms_erasure_holds()
        self.assertEqual(len(holds), 1)
        self.assertIn("retention period of 5 years", holds[0])
        self.assertIn(invoice.name, holds[0])

    def test_erasure_anonymises_everywhere_and_keeps_the_evidence(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Petra's assistant",
                "parent_id": self.person.id,
                "email": "as@x.com",
            }
        )
        portal_user = self.env["res.users"].create(
            {
                "name": "Petra Portal",
                "login": "petra.portal",
                "partner_id": self.person.id,
                "group_ids": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        message = (
            self.env["crm.lead"]
            .search([("partner_id", "=", self.person.id)])
            .message_post(
                body="Please call me", author_id=self.person.id, message_type="comment"
            )
        )
        req = self._request(kind="erasure")
        self.assertFalse(req.legal_hold_text)
        req.action_erase()
        self.assertEqual(req.state, "done")
        self.assertEqual(req.erased_by_id, self.dpo)
        self.assertIn("lead(s)", req.erasure_log)
        self.assertIn("ticket(s)", req.erasure_log)
        person = self.person.with_context(active_test=False)
        self.assertEqual(person.name, f"Anonymised partner {person.id}")
        for field in ("email", "phone", "street", "city", "function"):
            self.assertFalse(person[field], field)
        self.assertFalse(person.active)
        self.assertFalse(contact.active)
        self.assertFalse(contact.email)
        self.assertFalse(portal_user.active)
        self.assertNotIn("petra", portal_user.login)
        lead = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("partner_id", "=", self.person.id)])
        )
        self.assertTrue(lead, "leads are kept")
        self.assertFalse(lead.email_from)
        self.assertFalse(lead.contact_name)
        ticket = self.env["helpdesk.ticket"].search([("partner_id", "=", person.id)])
        self.assertTrue(ticket, "tickets are kept")
        self.assertFalse(ticket.partner_email)
        self.assertFalse(ticket.partner_name)
        self.assertEqual(message.author_id, person)
        self.assertFalse(message.email_from)
        # the requirement and the property stay as evidence
        self.assertTrue(
            self.env["qms.requirement"].search([("partner_id", "=", person.id)])
        )
        self.assertTrue(
            self.env["qms.property"].search([("partner_id", "=", person.id)])
        )
        # the other person is untouched
        self.assertEqual(self.other.email, "oscar@example.com")
        self.assertTrue(self.other.active)

    def test_erase_only_for_erasure_requests_and_done_needs_the_work(self):
        req = self._request(kind="access")
        with self.assertRaisesRegex(UserError, "not an erasure request"):
            req.action_erase()
        with self.assertRaisesRegex(UserError, "build the export first"):
            req.action_done()
        req.action_export()
        req.action_done()
        self.assertEqual(req.state, "done")
        with self.assertRaisesRegex(UserError, "already closed"):
            req.action_export()
        erase = self._request(kind="erasure")
        with self.assertRaisesRegex(UserError, "use Erase Personal Data"):
            erase.action_done()
        with self.assertRaisesRegex(UserError, "No legal hold applies"):
            erase.action_refuse_for_legal_hold()
        with self.assertRaisesRegex(UserError, "why"):
            erase.action_refuse()
        other = self._request(kind="restriction")
        with self.assertRaisesRegex(UserError, "Write the response"):
            other.action_done()

    def test_overdue_cron_cost_does_not_grow_with_the_requests(self):
        """Batched: the queries of one run do not grow with the number of
        overdue requests (no query per request)."""
        Request = self.env["qms.data.request"]

        def run(count):
            Request.create(
                [
                    {
                        "partner_id": self.person.id,
                        "kind": "access",
                        "received_date": date(2020, 1, 1),
                        "user_id": self.dpo.id,
                    }
                    for _i in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            done = Request._cron_notify_overdue()
            self.env.flush_all()
            return done, self.env.cr.sql_log_count - before

        done_small, queries_small = run(5)
        done_large, queries_large = run(50)
        self.assertEqual((done_small, done_large), (5, 50))
        self.assertLessEqual(queries_large, queries_small + 10)
