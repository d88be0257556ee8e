# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


def _read_write(method):
    """Serve ``method`` over RPC with a read/write cursor (see the mixin)."""
    method._readonly = False
    return method


class QmsReadLoggedMixin(models.AbstractModel):
    """Models whose reads OCA auditlog logs (the read log of personal data).

    Odoo 19 serves the web client's reads (``web_search_read``, ``web_read``,
    ...) with a read-only cursor (``@api.readonly``), where auditlog cannot
    write its log: the request failed with "cannot execute INSERT in a
    read-only transaction" and Odoo served it a second time with a read/write
    cursor, logging an error each time. These entry points are served
    read/write from the start for the models that inherit this mixin.
    """

    _name = "qms.read.logged.mixin"
    _description = "Reads Logged by Auditlog"

    @_read_write
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields, load)

    @_read_write
    @api.model
    def search_read(self, *args, **kwargs):
        return super().search_read(*args, **kwargs)

    @_read_write
    def web_read(self, specification):
        return super().web_read(specification)

    @_read_write
    @api.model
    def web_search_read(self, *args, **kwargs):
        return super().web_search_read(*args, **kwargs)

    @_read_write
    @api.model
    def web_read_group(self, *args, **kwargs):
        return super().web_read_group(*args, **kwargs)
