# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Moving models, fields and data records from one addon to another, in place.

Quality CRM began as one addon, ``qms_crm``; its capabilities now live in
addons of their own (``qms_crm_evidence``, ...). On a database made with the
old layout, ``odoo-bin -u qms_crm`` installs the new addons first (they are new
dependencies of ``qms_crm``). Each of them calls :func:`claim_xmlids` from its
``pre_init_hook``, before its models and data are loaded: every xml id that the
new addon defines and that ``qms_crm`` held is handed over to the new addon,
with its record. So the tables, the records, their ids and their xml ids stay;
nothing is created twice, and ``qms_crm``'s upgrade does not delete what moved
(``ir.model.data._process_end`` only removes xml ids of ``qms_crm`` that
``qms_crm`` no longer defines).

The xml ids an addon defines are read from its own files and classes, not from
a hand-kept list:

- ``id`` attributes of ``<record>``, ``<template>``, ``<menuitem>`` (and
  ``<report>``/``<act_window>``) in the data and demo files of its manifest,
  and the ``id`` column of its CSV files;
- ``model_<model>`` for each model it defines (``_name`` without an
  ``_inherit`` of the same name), ``field_<model>__<field>`` and
  ``selection__<model>__<field>__<value>`` for each field it declares.

The SQL constraints (and their ``constraint_<name>`` xml ids) and many2many
tables of the models it defines are handed over as well (``ir_model_constraint``
/ ``ir_model_relation``: they name the addon that drops them on uninstall).
"""

import csv
import logging
import os
from xml.etree import ElementTree

from odoo import fields
from odoo.models import MetaModel
from odoo.modules.module import get_manifest, get_module_path

_logger = logging.getLogger(__name__)

_ID_TAGS = ("record", "template", "menuitem", "report", "act_window")


def _file_ids(module):
    """Local xml ids (without module prefix) defined in the module's files."""
    path = get_module_path(module)
    manifest = get_manifest(module)
    names = set()
    for rel in manifest.get("data", []) + manifest.get("demo", []):
        full = os.path.join(path, rel)
        if rel.endswith(".xml"):
            for node in ElementTree.parse(full).iter():
                xmlid = node.get("id") if node.tag in _ID_TAGS else None
                if xmlid and "." not in xmlid:
                    names.add(xmlid)
        elif rel.endswith(".csv"):
            with open(full, encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    xmlid = row.get("id") or ""
                    if xmlid and "." not in xmlid:
                        names.add(xmlid)
    return names


def _model_ids(module):
    """(xml ids of models and fields, patterns of selection xml ids, models
    defined) for the model classes of ``module``."""
    names, patterns, defined = set(), set(), set()
    for cls in MetaModel._module_to_models__.get(module, []):
        inherit = cls._inherit
        inherit = [inherit] if isinstance(inherit, str) else list(inherit or ())
        model = cls._name or inherit[0]
        under = model.replace(".", "_")
        if cls._name and cls._name not in inherit:
            defined.add(model)
            names.add(f"model_{under}")
        for fname, value in vars(cls).items():
            if isinstance(value, fields.Field):
                names.add(f"field_{under}__{fname}")
                patterns.add(f"selection\\_\\_{under}\\_\\_{fname}\\_\\_%")
    return names, patterns, defined


def claim_xmlids(env, module, old_module="qms_crm"):
    """Hand the xml ids, constraints and relation tables that ``module``
    defines over from ``old_module`` to ``module`` (see the module docstring).
    Does nothing on a database where ``old_module`` never held them."""
    cr = env.cr
    names = _file_ids(module)
    model_names, patterns, defined = _model_ids(module)
    names |= model_names
    cr.execute(
        """UPDATE ir_model_data SET module = %s
            WHERE module = %s AND (name = ANY(%s) OR name LIKE ANY(%s))""",
        [module, old_module, sorted(names), sorted(patterns) or [""]],
    )
    moved = cr.rowcount
    cr.execute(
        "SELECT id FROM ir_module_module WHERE name IN %s ORDER BY name = %s",
        [(module, old_module), module],
    )
    ids = [row[0] for row in cr.fetchall()]
    if len(ids) == 2 and defined:
        old_id, new_id = ids
        # the xml ids of the SQL constraints of those models (constraint_<name>)
        cr.execute(
            """UPDATE ir_model_data d SET module = %s
                 FROM ir_model_constraint c
                WHERE d.model = 'ir.model.constraint' AND d.res_id = c.id
                  AND d.module = %s
                  AND c.model IN (SELECT id FROM ir_model WHERE model IN %s)""",
            [module, old_module, tuple(defined)],
        )
        moved += cr.rowcount
        for table in ("ir_model_constraint", "ir_model_relation"):
            cr.execute(
                f"""UPDATE {table} SET module = %s
                     WHERE module = %s
                       AND model IN (SELECT id FROM ir_model WHERE model IN %s)""",
                [new_id, old_id, tuple(defined)],
            )
            moved += cr.rowcount
    if moved:
        _logger.info(
            "%s: took over %d xml ids and tables of %s", module, moved, old_module
        )
    return moved
