# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from odoo import _, api, fields, models
from odoo.exceptions import UserError

RAW = {
    "encoding": serialization.Encoding.Raw,
    "format": serialization.PublicFormat.Raw,
}


def key_id_of(public_raw):
    """Short id of an Ed25519 public key: first 16 hex digits of its SHA-256
    (``tools/verify_pack.py`` computes the same)."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


class QmsEvidenceSigningKey(models.Model):
    """Ed25519 key of a company that signs its evidence packs.

    One active key per company; rotating retires it (its public key stays,
    so that packs signed with it still verify) and makes a new one. Keys are
    never deleted. Only Quality CRM managers see this model; the private key
    is never shown.
    """

    _name = "qms.evidence.signing.key"
    _description = "Evidence Pack Signing Key"
    _inherit = ["mail.thread"]
    _order = "company_id, create_date desc, id desc"
    _rec_name = "key_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    key_id = fields.Char(string="Key ID", readonly=True, index=True)
    algorithm = fields.Char(default="Ed25519", readonly=True)
    public_key = fields.Char(
        readonly=True, help="Raw Ed25519 public key, base64: give it to auditors."
    )
    private_key = fields.Char(readonly=True, copy=False, groups="base.group_system")
    state = fields.Selection(
        [("active", "Active"), ("retired", "Retired")],
        default="active",
        readonly=True,
        tracking=True,
    )
    retired_on = fields.Datetime(readonly=True)
    retired_by = fields.Many2one("res.users", readonly=True)
    pack_count = fields.Integer(compute="_compute_pack_count", string="Packs Signed")

    _one_active_key = models.UniqueIndex(
        "(company_id) WHERE state = 'active'",
        "A company has one active signing key.",
    )

    def _compute_pack_count(self):
        counts = dict(
            self.env["qms.evidence.pack.log"]
            .sudo()
            ._read_group(
                [("signing_key_id", "in", self.ids)], ["signing_key_id"], ["__count"]
            )
        )
        for key in self:
            key.pack_count = counts.get(key, 0)

    @api.model
    def _qms_new_key_vals(self, company):
        private = Ed25519PrivateKey.generate()
        public_raw = private.public_key().public_bytes(**RAW)
        private_raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return {
            "company_id": company.id,
            "key_id": key_id_of(public_raw),
            "public_key": base64.b64encode(public_raw).decode(),
            "private_key": base64.b64encode(private_raw).decode(),
        }

    @api.model_create_multi
    def create(self, vals_list):
        # the key pair is always generated here, never given
        vals_list = [
            self._qms_new_key_vals(
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            for vals in vals_list
        ]
        return super(QmsEvidenceSigningKey, self.sudo()).create(vals_list).sudo(False)

    @api.model
    def _qms_active_key(self, company):
        """The active key of ``company`` (made on first use), as superuser."""
        key = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "active")], limit=1
        )
        return key or self.sudo().create({"company_id": company.id})

    def _qms_sign(self, data):
        self.ensure_one()
        raw = base64.b64decode(self.sudo().private_key)
        return Ed25519PrivateKey.from_private_bytes(raw).sign(data)

    def action_rotate(self):
        """Retire these keys and make a new active key for their companies."""
        new = self.browse()
        for key in self.filtered(lambda k: k.state == "active"):
            key.sudo().write(
                {
                    "state": "retired",
                    "retired_on": fields.Datetime.now(),
                    "retired_by": self.env.uid,
                }
            )
            key.flush_recordset()
            new |= self.create({"company_id": key.company_id.id})
            key.message_post(
                body=_("Key retired; new signing key %(key)s.", key=new[-1:].key_id)
            )
        return new

    def write(self, vals):
        changed = {f for f in vals if not f.startswith("message_")}
        # only rotation retires a key (as superuser); nothing else changes
        if changed - ({"state", "retired_on", "retired_by"} if self.env.su else set()):
            raise UserError(
                _("Signing keys do not change: rotate the key to make a new one.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            _(
                "Signing keys are never deleted: packs signed with them must "
                "still verify. Rotate the key instead."
            )
        )
