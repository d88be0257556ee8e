# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

PROPERTY_KINDS = [
    ("material", "Material"),
    ("equipment", "Equipment / Tooling"),
    ("document", "Documents / Drawings"),
    ("ip", "Intellectual Property"),
    ("software", "Software / Licences"),
    ("personal_data", "Personal Data Set"),
]
PROPERTY_STATES = [
    ("received", "Received"),
    ("in_use", "In Use"),
    ("incorporated", "Incorporated"),
    ("returned", "Returned"),
    ("lost", "Lost"),
    ("damaged", "Damaged"),
    ("unsuitable", "Unsuitable"),
]
CONDITIONS = [
    ("good", "Good"),
    ("fair", "Fair, usable"),
    ("damaged", "Damaged"),
]
# states in which we still hold the item for its owner
HELD_STATES = ("received", "in_use", "damaged", "unsuitable")


class QmsProperty(models.Model):
    """Property belonging to a customer or an external provider that we hold
    or use (ISO 9001:2015 8.5.3; 8.2.1 d handling of customer property)."""

    _name = "qms.property"
    _description = "Customer / Provider Property"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "qms.evidence.mixin",
    ]
    _order = "received_date desc, id desc"
    _rec_names_search = ["reference", "name", "serial"]
    _qms_personal_data = "is_personal_data"
    _qms_default_clauses = ("8.5.3",)

    reference = fields.Char(
        readonly=True, copy=False, default=lambda self: _("New"), index="trigram"
    )
    name = fields.Char(string="Item", required=True, tracking=True)
    kind = fields.Selection(
        PROPERTY_KINDS, required=True, default="material", tracking=True, index=True
    )
    is_personal_data = fields.Boolean(
        compute="_compute_is_personal_data",
        store=True,
        index=True,
        help="Personal data sets are visible to data protection officers only.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        index=True,
        tracking=True,
        help="The customer or external provider that owns the item.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    owner_role = fields.Selection(
        [("customer", "Customer"), ("provider", "External Provider")],
        required=True,
        default="customer",
        tracking=True,
    )
    description = fields.Text()
    serial = fields.Char(string="Serial / Identification", tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Photos and Documents",
        copy=False,
        help="Photos at receipt, drawings, licence files.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", tracking=True)
    uom_id = fields.Many2one("uom.uom", string="Unit")
    received_date = fields.Date(
        default=fields.Date.context_today, required=True, tracking=True
    )
    received_by_id = fields.Many2one(
        "res.users",
        string="Received by",
        default=lambda self: self.env.user,
        tracking=True,
    )
    # verification at receipt
    verified_identity = fields.Boolean(string="Identified", tracking=True)
    verified_quantity = fields.Boolean(string="Quantity Checked", tracking=True)
    condition = fields.Selection(
        CONDITIONS, string="Condition at Receipt", tracking=True
    )
    verification_notes = fields.Text(string="Verification Notes")
    # where it is
    product_id = fields.Many2one(
        "product.product",
        string="Stock Product",
        help="When the item is kept in stock: its product. The quantities on hand "
        "are the quants owned by the owner (Owner on stock), not a copy.",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Location",
        tracking=True,
        domain="[('usage', '=', 'internal')]",
    )
    location_note = fields.Char(
        string="Place", help="Where the item is when it is not in stock."
    )
    quant_ids = fields.Many2many(
        "stock.quant", compute="_compute_quants", string="Owned Stock"
    )
    stock_quantity = fields.Float(
        compute="_compute_quants", digits="Product Unit", string="On Hand (Owner)"
    )
    custodian_id = fields.Many2one(
        "res.users",
        string="Custodian",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    protection_measures = fields.Text(
        help="How the item is identified, protected and safeguarded "
        "(storage conditions, access control, encryption, insurance)."
    )
    personal_data_category_ids = fields.Many2many(
        "qms.personal.data.category",
        string="Personal Data Categories",
        help="For personal data sets: which categories of personal data they hold.",
    )
    state = fields.Selection(
        PROPERTY_STATES,
        default="received",
        required=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    incident_ids = fields.One2many(
        "qms.property.incident", "property_id", string="Incidents"
    )
    incident_count = fields.Integer(compute="_compute_incident_count")
    return_date = fields.Date(tracking=True, copy=False)
    returned_by_id = fields.Many2one(
        "res.users", string="Handed back by", readonly=True, copy=False
    )
    return_to = fields.Char(
        string="Handed back to",
        copy=False,
        tracking=True,
        help="Name of the owner's representative who took the item back.",
    )
    return_note = fields.Text(copy=False)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True, tracking=True)

    # ------------------------------------------------------------------
    @api.depends("reference", "name")
    def _compute_display_name(self):
        for item in self:
            ref = (
                item.reference if item.reference and item.reference != _("New") else ""
            )
            item.display_name = f"[{ref}] {item.name}" if ref else (item.name or "")

    @api.depends("kind")
    def _compute_is_personal_data(self):
        for item in self:
            item.is_personal_data = item.kind == "personal_data"

    def _compute_incident_count(self):
        Incident = self.env["qms.property.incident"]
        counts = {}
        if Incident.has_access("read"):
            counts = dict(
                Incident._read_group(
                    [("property_id", "in", self.ids)], ["property_id"], ["__count"]
                )
            )
        for item in self:
            item.incident_count = counts.get(item, 0)

    @api.depends("product_id", "location_id", "commercial_partner_id")
    def _compute_quants(self):
        """Stock of the owner, read from Odoo's own owner_id on quants."""
        Quant = self.env["stock.quant"].sudo()
        for item in self:
            if not item.location_id or not item.commercial_partner_id:
                item.quant_ids = Quant.browse()
                item.stock_quantity = 0.0
                continue
            domain = [
                ("owner_id", "child_of", item.commercial_partner_id.id),
                ("location_id", "child_of", item.location_id.id),
            ]
            if item.product_id:
                domain.append(("product_id", "=", item.product_id.id))
            quants = Quant.search(domain)
            item.quant_ids = quants
            item.stock_quantity = sum(quants.mapped("quantity"))

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for item in self:
            item.access_url = f"/my/qms/property/{item.id}"
        return res

    # ------------------------------------------------------------------
    @api.constrains("quantity")
    def _check_quantity(self):
        for item in self:
            if item.quantity < 0:
                raise ValidationError(
                    _("The quantity of %s cannot be negative.", item.display_name)
                )

    @api.constrains("kind", "personal_data_category_ids")
    def _check_personal_data_categories(self):
        for item in self:
            if item.personal_data_category_ids and item.kind != "personal_data":
                raise ValidationError(
                    _(
                        "Only personal data sets declare personal data categories "
                        "(%s).",
                        item.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("reference") or vals["reference"] == _("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    "qms.property"
                ) or _("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_put_in_use(self):
        for item in self:
            if item.state not in ("received",):
                raise UserError(
                    _("%s can be put in use only once received.", item.display_name)
                )
        self.write({"state": "in_use"})
        return True

    def action_incorporate(self):
        for item in self:
            if item.state not in ("received", "in_use"):
                raise UserError(
                    _(
                        "%s can be incorporated only while received or in use.",
                        item.display_name,
                    )
                )
        self.write({"state": "incorporated"})
        return True

    def action_return(self):
        """Hand the item back to its owner; the receipt can then be printed."""
        for item in self:
            if item.state not in HELD_STATES:
                raise UserError(
                    _(
                        "%(item)s is %(state)s: only items we still hold can be "
                        "handed back.",
                        item=item.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[item.state],
                    )
                )
            if not item.return_to:
                raise UserError(
                    _(
                        "Enter who took %s back (Handed back to) before recording "
                        "the return.",
                        item.display_name,
                    )
                )
        self.write(
            {
                "state": "returned",
                "return_date": fields.Date.context_today(self),
                "returned_by_id": self.env.user.id,
            }
        )
        return True

    def action_print_return_receipt(self):
        for item in self:
            if item.state != "returned":
                raise UserError(
                    _(
                        "%s has not been handed back yet: record the return first.",
                        item.display_name,
                    )
                )
        return self.env.ref(
            "qms_crm_property.action_report_property_return"
        ).report_action(self)

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_property.qms_property_incident_action"
        )
        action["domain"] = [("property_id", "=", self.id)]
        action["context"] = {"default_property_id": self.id}
        return action

    def action_view_quants(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Owned Stock"),
            "res_model": "stock.quant",
            "view_mode": "list",
            "domain": [("id", "in", self.quant_ids.ids)],
        }

    def action_report_incident(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Report an Incident"),
            "res_model": "qms.property.incident",
            "view_mode": "form",
            "target": "current",
            "context": {"default_property_id": self.id},
        }
