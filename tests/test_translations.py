# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Russian translation of our addons is complete and their .pot is current.

The terms are collected the way ``odoo-bin i18n export`` collects them: Odoo's own
``TranslationModuleReader`` run in this process on the installed database (fields,
selections, views, menus, actions, mail templates, data records, ``_()`` in Python...).
So a new or changed string anywhere in an addon fails ``make test`` until
``<addon>/i18n/<addon>.pot`` is re-exported and ``<addon>/i18n/ru.po`` translates it.

Terms of fields that neither the addon nor what it depends on define are left
out: Odoo's reader exports every translated field of every record the addon
names, and an addon that extends a model names its ``ir.model`` row, so with
``website`` installed it would export website's ``website_form_label`` of
``crm.lead`` and ``mail.mail`` ("Create an Opportunity", "Send an E-mail") under
qms_crm_communication: website's text, in the .pot of an addon that does not
depend on website, present only when website happens to be installed.

The .pot matters at load time: Odoo merges ``ru.po`` with ``<addon>.pot`` and takes the
occurrences and comments of the .pot, so a term missing from the .pot (or a record the
.pot does not name) is not loaded even when ``ru.po`` translates it.

To refresh after string changes::

    odoo-bin i18n export -c CONF -d DB \
        portal_request_hardening qms_crm qms_crm_survey \
        qms_crm_recall qms_crm_recall_mrp
    cd <addon>/i18n && msgmerge -U -N --backup=none ru.po <addon>.pot
    # then translate every empty msgstr of <addon>/i18n/ru.po
"""

import re
from collections import Counter
from pathlib import Path

import polib
from qms_repo import addon_list, qms_addons

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)
LANG = "ru_RU"
PO_LANGUAGE = "ru"

# What must survive translation unchanged: printf placeholders, inline templates
# ({{ object.x }}), QWeb directives (t-out="...", t-att-href="...") and the tags of
# views and mail templates.
_PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\))?[sdrf]")
_INLINE = re.compile(r"\{\{.*?\}\}")
_QWEB = re.compile(r"\bt-[\w-]+=\"[^\"]*\"")
_TAG = re.compile(r"</?([A-Za-z][\w.-]*)")


def _placeholders(text):
    return Counter(
        [f"printf {m}" for m in _PRINTF.findall(text)]
        + [f"inline {m}" for m in _INLINE.findall(text)]
        + [f"qweb {m}" for m in _QWEB.findall(text)]
        + [f"tag <{m}>" for m in _TAG.findall(text)]
    )


def _upstream(addon):
    """The addon and every module it depends on, directly or not."""
    found, todo = set(), [addon, "base"]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += get_manifest(name).get("depends", [])
    return found


def _show(msgid, limit=160):
    text = msgid if len(msgid) <= limit else msgid[:limit] + "…"
    return repr(text)


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # With an inactive language the reader fails ("Invalid language code"): a test
        # database (make test) has only en_US. Activating it (rolled back with the
        # test's transaction) loads no translation; the terms read are the same.
        cls.env["res.lang"]._activate_lang(LANG)
        # {addon: {msgid: [(type, name, res_id, comments), ...]}}
        cls.terms = {}
        for addon in ADDONS:
            upstream = _upstream(addon)
            reader = TranslationModuleReader(cls.env.cr, modules=[addon], lang=LANG)
            terms = {}
            for module, ttype, name, res_id, source, _value, comments in reader:
                if module == addon and cls._ours(ttype, name, upstream):
                    terms.setdefault(source, []).append(
                        (ttype, name, res_id, tuple(comments or ()))
                    )
            cls.terms[addon] = terms

    @classmethod
    def _ours(cls, ttype, name, upstream):
        """False for a record's term whose field no module of ``upstream``
        defines (``model:ir.model,website_form_label``: only website does);
        True for every other term (code, views' arch, ...)."""
        if ttype not in ("model", "model_terms"):
            return True
        model, _sep, fname = name.partition(",")
        field = cls.env[model]._fields.get(fname) if model in cls.env else None
        if field is None or not field._modules:
            return True
        return not upstream.isdisjoint(field._modules)

    def _i18n_file(self, addon, filename):
        path = Path(get_module_path(addon)) / "i18n" / filename
        self.assertTrue(path.is_file(), f"{addon}: {path} is missing")
        return path

    def _po(self, addon, filename):
        return polib.pofile(str(self._i18n_file(addon, filename)))

    @staticmethod
    def _entries(po):
        return {entry.msgid: entry for entry in po if not entry.obsolete}

    @staticmethod
    def _where(occurrences):
        ttype, name, res_id, _comments = occurrences[0]
        where = f"code:{name}" if ttype == "code" else f"{ttype}:{name}:{res_id}"
        more = len(occurrences) - 1
        return where + (f" (+{more} more)" if more else "")

    def test_reader_finds_the_terms_of_every_addon(self):
        # The checks below must not pass because nothing was collected.
        manifests = qms_addons.manifests()
        for addon in ADDONS:
            # the application addon qms_crm holds no data of its own, only demo
            if manifests[addon].get("data") or addon != "qms_crm":
                self.assertTrue(
                    self.terms[addon], f"{addon}: no translatable term found"
                )
        self.assertIn(
            "Customer Requirements",
            self.terms["qms_crm_requirement"],
            "the reader does not see qms_crm_requirement's terms",
        )

    def test_ru_po_header(self):
        for addon in ADDONS:
            po = self._po(addon, "ru.po")
            self.assertEqual(po.metadata.get("Language"), PO_LANGUAGE, addon)
            self.assertIn("nplurals=3;", po.metadata.get("Plural-Forms", ""), addon)

    def test_every_term_has_a_russian_translation(self):
        problems = []
        for addon in ADDONS:
            entries = self._entries(self._po(addon, "ru.po"))
            for msgid, occurrences in sorted(self.terms[addon].items()):
                entry = entries.get(msgid)
                if entry is None:
                    why = "not in ru.po"
                elif not entry.msgstr.strip():
                    why = "empty msgstr"
                elif "fuzzy" in entry.flags:
                    why = "fuzzy (not reviewed)"
                else:
                    continue
                problems.append(
                    f"  {addon}: {_show(msgid)} [{why}; {self._where(occurrences)}]"
                )
        if problems:
            self.fail(
                f"{len(problems)} term(s) have no Russian translation in "
                "<addon>/i18n/ru.po (re-export the .pot, msgmerge ru.po, translate):\n"
                + "\n".join(problems)
            )

    def test_pot_templates_are_current(self):
        problems = []
        for addon in ADDONS:
            entries = self._entries(self._po(addon, f"{addon}.pot"))
            for msgid, occurrences in sorted(self.terms[addon].items()):
                entry = entries.get(msgid)
                if entry is None:
                    problems.append(
                        f"  {addon}: {_show(msgid)} is not in {addon}.pot "
                        f"[{self._where(occurrences)}]"
                    )
                    continue
                # Odoo takes occurrences and comments from the .pot when it loads
                # ru.po: each record must be named there, and code terms must keep
                # their odoo-python / odoo-javascript comment.
                pot_occurrences = {occ for occ, _line in entry.occurrences}
                pot_comments = set(entry.comment.split("\n"))
                for ttype, name, res_id, comments in occurrences:
                    if ttype != "code":
                        occurrence = f"{ttype}:{name}:{res_id}"
                        if occurrence not in pot_occurrences:
                            problems.append(
                                f"  {addon}: {_show(msgid)}: {occurrence} "
                                f"is not named in {addon}.pot"
                            )
                    missing = [c for c in comments if c not in pot_comments]
                    if missing:
                        problems.append(
                            f"  {addon}: {_show(msgid)}: {addon}.pot lacks the "
                            f"comment(s) {', '.join(missing)} of {name}"
                        )
        if problems:
            self.fail(
                f"{len(problems)} current term(s) or occurrence(s) are missing from "
                "the .pot templates (re-export them with odoo-bin i18n export):\n"
                + "\n".join(problems)
            )

    def test_translations_keep_placeholders_and_markup(self):
        problems = []
        for addon in ADDONS:
            entries = self._entries(self._po(addon, "ru.po"))
            for msgid in sorted(self.terms[addon]):
                entry = entries.get(msgid)
                if entry is None or not entry.msgstr:
                    continue  # reported by test_every_term_has_a_russian_translation
                source, target = _placeholders(msgid), _placeholders(entry.msgstr)
                if source != target:
                    lost = ", ".join(sorted((source - target).elements())) or "-"
                    added = ", ".join(sorted((target - source).elements())) or "-"
                    problems.append(
                        f"  {addon}: {_show(msgid)}: lost [{lost}], added [{added}]"
                    )
        if problems:
            self.fail(
                f"{len(problems)} translation(s) change placeholders or markup:\n"
                + "\n".join(problems)
            )
