# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``/submitted/ticket`` of OCA helpdesk_mgmt against hostile forms, over HTTP."""

import base64
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MUTED, SCRIPT, PortalHardeningCommon


@tagged("post_install", "-at_install")
class TestTicketSubmitHardening(PortalHardeningCommon):
    def _form(self, **values):
        data = {
            "csrf_token": self._csrf(),
            "subject": "PRH probe subject",
            "description": "Something is wrong.",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _submit(self, files=None, **values):
        return self.url_open(
            "/submitted/ticket",
            data=self._form(**values),
            files=files,
            allow_redirects=False,
        )

    def _assert_rejected(self, response, message, subject="PRH probe subject"):
        self.assertEqual(response.status_code, 400, response.text[:300])
        self.assertIn(message, response.text)
        self.assertIn("Your ticket was not sent.", response.text)
        # the form is shown again, with what the customer typed
        tree = html.fromstring(response.content)
        self.assertTrue(tree.xpath("//form[@action='/submitted/ticket']"))
        if subject:
            self.assertEqual(
                tree.xpath("//input[@name='subject']/@value"), [subject.strip()]
            )
        self.assertFalse(self._tickets_named(subject or "PRH probe"))

    @mute_logger(*MUTED)
    def test_submission_over_get_head_or_options_creates_nothing(self):
        self._login_a()
        for method in ("GET", "HEAD", "OPTIONS"):
            with self.subTest(method=method):
                response = self.url_open(
                    "/submitted/ticket",
                    params=self._form(subject="PRH via GET"),
                    method=method,
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 405)
        self.assertFalse(self._tickets_named("PRH via GET"))

    @mute_logger(*MUTED)
    def test_submission_without_csrf_token_creates_nothing(self):
        self._login_a()
        for token in (None, "forged", "é"):
            with self.subTest(token=token):
                response = self._submit(subject="PRH no csrf", csrf_token=token)
                self.assertIn(response.status_code, (400, 403))
        self.assertFalse(self._tickets_named("PRH no csrf"))

    def test_blank_subject_or_description_shows_the_form_again(self):
        self._login_a()
        response = self._submit(subject="   \n\t ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please enter a subject for your ticket.", response.text)
        for description in ("", "   \n ", None):
            with self.subTest(description=description):
                response = self._submit(description=description)
                self._assert_rejected(response, "Please describe your request.")
        self.assertFalse(self._tickets_named("PRH probe"))

    def test_ids_the_customer_may_not_use_show_the_form_again(self):
        self._login_a()
        cases = [
            ("category", "abc", "The selected category is not available."),
            ("category", "9" * 30, "The selected category is not available."),
            (
                "category",
                str(self.category_hidden.id),
                "The selected category is not available.",
            ),
            ("team", "1; DROP TABLE", "The selected team is not available."),
            ("team", str(self.team_hidden.id), "The selected team is not available."),
            ("team", "-5", "The selected team is not available."),
        ]
        for name, value, message in cases:
            with self.subTest(name=name, value=value):
                response = self._submit(**{name: value})
                self._assert_rejected(response, message)

    def test_required_category_and_team_must_be_chosen(self):
        self.company.write(
            {
                "helpdesk_mgmt_portal_team_id_required": True,
                "helpdesk_mgmt_portal_category_id_required": True,
            }
        )
        self._login_a()
        response = self._submit(category=" ")
        self._assert_rejected(response, "Please choose a category.")
        self.assertIn("Please choose a team.", response.text)
        response = self._submit(
            subject="PRH both chosen",
            category=str(self.category.id),
            team=str(self.team.id),
        )
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        ticket = self._tickets_named("PRH both chosen")
        self.assertEqual(
            (ticket.category_id, ticket.team_id), (self.category, self.team)
        )

    def test_category_and_team_the_portal_does_not_offer_are_ignored(self):
        self.company.write(
            {
                "helpdesk_mgmt_portal_select_team": False,
                "helpdesk_mgmt_portal_select_category": False,
            }
        )
        self._login_a()
        for category in (str(self.category_hidden.id), "abc"):
            with self.subTest(category=category):
                response = self._submit(
                    subject=f"PRH ignored {category}",
                    category=category,
                    team=str(self.team_hidden.id),
                )
                self.assertIn(response.status_code, (302, 303))
                ticket = self._tickets_named(f"PRH ignored {category}")
                self.assertEqual(len(ticket), 1)
                self.assertFalse(ticket.category_id)
                self.assertFalse(ticket.team_id)

    def test_team_and_category_choice_is_kept_when_the_form_comes_back(self):
        self._login_a()
        response = self._submit(
            team=str(self.team.id), category=str(self.category.id), description=" "
        )
        self._assert_rejected(response, "Please describe your request.")
        tree = html.fromstring(response.content)
        self.assertEqual(
            tree.xpath("//select[@name='team']/option[@selected]/@value"),
            [str(self.team.id)],
        )
        self.assertEqual(
            tree.xpath("//select[@name='category']/option[@selected]/@value"),
            [str(self.category.id)],
        )

    def test_valid_submission_is_trimmed_and_shown_escaped(self):
        self._login_a()
        response = self._submit(
            subject=f"  PRH probe {SCRIPT}  ",
            description=f"  Broken {SCRIPT}\n",
            team=str(self.team.id),
            category=str(self.category.id),
        )
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        ticket = self._tickets_named("PRH probe")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, f"PRH probe {SCRIPT}")
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.category_id, self.category)
        self.assertNotIn("<script>", ticket.description)
        self.assertEqual(
            urlsplit(response.headers["Location"]).path, f"/my/ticket/{ticket.id}"
        )
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(SCRIPT, page.text)
        self.assertIn("&lt;script&gt;", page.text)

    def test_attachment_name_with_control_characters_shows_the_form_again(self):
        self._login_a()
        for filename in ("report\x01.txt", "report\x1b[31m.txt", "../report.txt"):
            with self.subTest(filename=filename):
                response = self._post_multipart(
                    "/submitted/ticket",
                    self._form(),
                    [("attachment", filename, b"hello")],
                )
                self._assert_rejected(
                    response, "The name of an attached file is not valid."
                )
        # no attachment of a ticket was stored (=like: "like" would also find
        # the report asset bundles Odoo's runner builds before the tests)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "helpdesk.ticket"), ("name", "=like", "%report%")]
            )
        )
        # a good file is stored with the ticket
        files = [("attachment", ("report.txt", b"hello", "text/plain"))]
        response = self._submit(files=files)
        self.assertIn(response.status_code, (302, 303))
        ticket = self._tickets_named("PRH probe")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "report.txt")
        self.assertEqual(base64.b64decode(attachment.datas), b"hello")
