# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The recall letter rendered by wkhtmltopdf with the report's stylesheets
(served by the test server, as in production): its text is text, in an
embedded font, and the letter stays small enough to attach to every notice."""

import io
import re

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallLetter(HttpCase, QmsRecallCommon):
    def _letter(self, campaign):
        # wkhtmltopdf loads the stylesheets from this test server (without
        # them it falls back to its own serif font, and nothing is proven)
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        self.env.company.font = "Lato"
        # in tests Odoo returns HTML unless the real rendering is forced
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report._render_qweb_pdf(
            "qms_crm_recall.action_report_recall_notice", campaign.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def test_letter_text_is_embedded_text_and_the_letter_is_small(self):
        campaign = self._campaign(title="Valve PV-12 may leak")
        pdf = self._letter(campaign)
        fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", pdf))
        # the stylesheet was applied (wkhtmltopdf's own default is a serif)
        # and its font embedded as a subset; the company's web font (Lato)
        # would have been drawn as outlines, with no font at all in the file
        self.assertIn(b"DejaVuSans", fonts)
        self.assertIn(b"/FontFile2", pdf)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        self.assertIn(campaign.name, text)
        self.assertIn("PV-12", text)
        # the outlines made about 350 KB a letter; embedded text about 20 KB
        self.assertLess(len(pdf), 80_000)
