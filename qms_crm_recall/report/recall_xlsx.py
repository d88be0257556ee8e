# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from ..models.qms_recall_campaign import CSV_COLUMNS


class RecallXlsx(models.AbstractModel):
    """Campaign export for regulators: a summary sheet and one row per
    customer line (the same columns as the CSV export)."""

    _name = "report.qms_crm_recall.recall_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Recall Campaign XLSX Export"

    def generate_xlsx_report(self, workbook, data, objs):
        # no super(): report_xlsx's abstract method only raises
        # NotImplementedError; each report implements it
        bold = workbook.add_format({"bold": True})
        summary = workbook.add_worksheet(_("Summary"))
        headers = [
            _("Campaign"),
            _("Title"),
            _("Kind"),
            _("Hazard / Severity Class"),
            _("Regulator Reference"),
            _("State"),
            _("Customers"),
            _("Customers Notified (%)"),
            _("Customers Acknowledged (%)"),
            _("Quantity Affected"),
            _("Quantity Returned or Corrected (%)"),
        ]
        summary.write_row(0, 0, headers, bold)
        kinds = dict(objs._fields["kind"]._description_selection(self.env))
        hazards = dict(objs._fields["hazard_class"]._description_selection(self.env))
        states = dict(objs._fields["state"]._description_selection(self.env))
        for row, campaign in enumerate(objs, start=1):
            summary.write_row(
                row,
                0,
                [
                    campaign.name,
                    campaign.title,
                    kinds.get(campaign.kind, ""),
                    hazards.get(campaign.hazard_class, ""),
                    campaign.regulator_ref or "",
                    states.get(campaign.state, ""),
                    campaign.partner_count,
                    round(campaign.notified_pct, 1),
                    round(campaign.ack_pct, 1),
                    campaign.qty_delivered,
                    round(campaign.qty_pct, 1),
                ],
            )
        sheet = workbook.add_worksheet(_("Customers"))
        sheet.write_row(0, 0, objs._export_headers(), bold)
        for row, values in enumerate(objs._export_rows(), start=1):
            sheet.write_row(row, 0, [values[col] for col in CSV_COLUMNS])
        sheet.freeze_panes(1, 0)
