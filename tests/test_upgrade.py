# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade and uninstall on a copy of the test database (demo data on).

``odoo-bin -u`` of our addons keeps every record of every table of
theirs (count and id sum per table, before and after); uninstalling
``qms_crm_recall`` (with its bridge ``qms_crm_recall_mrp``) and
``qms_crm_survey`` leaves ``qms_crm`` working: a requirement, its review and
the confirmation of the order, in a new process.
"""

import pytest
from qms_repo import addon_list, qms_addons
from upgradelib import errors as _errors
from upgradelib import tables

# -u and uninstall on a copy of the database: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(120)

ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)

UNINSTALL = """
import json
mods = env["ir.module.module"].search(
    [("name", "in", ["qms_crm_recall_mrp", "qms_crm_recall", "qms_crm_survey"])])
mods.button_immediate_uninstall()
env.cr.commit()
"""

STATES = """
import json
rows = env["ir.module.module"].search_read(
    [("name", "in", %(addons)r)], ["name", "state"])
print("QMSJSON " + json.dumps({row["name"]: row["state"] for row in rows}))
"""

STILL_WORKS = """
import json
from odoo import Command
env = env(context=dict(env.context, tracking_disable=False))
env["ir.config_parameter"].set_param("qms_crm.gate_mode", "block")
customer = env["res.partner"].create(
    {"name": "After uninstall", "is_company": True, "email": "after@example.com"})
product = env["product.product"].create({"name": "After widget", "list_price": 3})
order = env["sale.order"].create({"partner_id": customer.id, "order_line": [
    Command.create({"product_id": product.id, "product_uom_qty": 2})]})
req = env["qms.requirement"].create({
    "name": "Deliver in 5 days", "description": "Within 5 working days.",
    "category": "stated", "source": "contract", "documented": True,
    "partner_id": customer.id, "order_id": order.id})
blocked = False
try:
    with env.cr.savepoint():
        order.action_confirm()
except Exception:
    blocked = True
review = env["qms.requirement.review"].create({"order_id": order.id})
review.line_ids.write({"can_meet": "yes"})
review.action_approve()
order.action_confirm()
env.cr.commit()
print("QMSJSON " + json.dumps({
    "blocked_before_review": blocked, "requirement": req.state,
    "review": review.state, "order": order.state,
    "models": sorted(m for m in env if m.startswith(("qms.recall", "qms.survey"))),
}))
"""


def _tables(odoo_env, db, modules=ADDONS):
    """{table: (rows, id sum)} for every table of a model of ``modules``
    (our addons)."""
    return tables(odoo_env, db, modules)


def _with_dependents(names):
    """``names`` and every addon of ours that depends on one of them, directly
    or not (Odoo uninstalls those too)."""
    found = qms_addons.manifests()
    result = set(names)
    grew = True
    while grew:
        grew = False
        for addon in ADDONS:
            if addon not in result and result & set(found[addon].get("depends", [])):
                result.add(addon)
                grew = True
    return result


def test_upgrade_keeps_every_record_and_uninstall_keeps_qms_crm(odoo_env):
    db = odoo_env.copy_db(f"{odoo_env.db}_upgrade")
    try:
        before = _tables(odoo_env, db)
        assert before["qms_requirement"][0] > 0, "no demo data in the template"
        assert before["survey_user_input"][0] > 0
        assert before["qms_recall_campaign"][0] > 0
        log = odoo_env.run(
            db,
            "-u",
            ",".join(ADDONS),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        )
        assert not _errors(log), "\n".join(_errors(log)[:20])
        after = _tables(odoo_env, db)
        changed = {
            t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)
        }
        print(
            f"\nupgrade: {len(before)} tables, "
            f"{sum(rows for rows, _ids in before.values())} rows kept; "
            f"changed: {changed}"
        )
        assert not changed, f"records lost or added by -u: {changed}"

        log = odoo_env.run(db, script=UNINSTALL, timeout=900)
        assert not _errors(log), "\n".join(_errors(log)[:20])
        states = odoo_env.shell_json(db, STATES % {"addons": list(ADDONS)})
        # the three addons, and every addon of ours standing on one of them
        # (e.g. qms_crm_recall_queue_job) goes with them
        uninstalled = _with_dependents(
            {"qms_crm_survey", "qms_crm_recall", "qms_crm_recall_mrp"}
        )
        assert states == {
            addon: "uninstalled" if addon in uninstalled else "installed"
            for addon in ADDONS
        }, states
        result = odoo_env.shell_json(db, STILL_WORKS)
        print(f"after uninstalling recall and survey: {result}")
        assert result == {
            "blocked_before_review": True,
            "requirement": "accepted",
            "review": "approved",
            "order": "sale",
            "models": [],
        }, result
        kept = _tables(odoo_env, db)
        assert kept["qms_requirement"][0] == before["qms_requirement"][0] + 1
    finally:
        odoo_env.drop_db(db)
