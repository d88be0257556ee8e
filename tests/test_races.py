# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell script below)
"""Races on one record, with two real database transactions.

Each race runs in an ``odoo-bin shell`` on a copy of the test database, with
two cursors of their own (two PostgreSQL connections, as two HTTP workers
have): the first user's action runs and holds its transaction open, the
second user's action on the same record runs meanwhile, then the first
commits and the second tries again as Odoo's request dispatcher would. The
shell's script prints what each attempt answered and what the evidence trail
holds afterwards; the tests assert:

* two agents closing the same complaint: the second gets the clear "being
  changed by someone else" error, its retry changes nothing; one resolution
  stamp (the first agent's), one resolution mail, one follow-up activity;
* a customer confirming a requirement while staff change its text (both
  orders): the one that comes second gets the error; the customer's retry is
  refused because the text changed; exactly the confirmations of the text the
  customer read are stored;
* two managers preparing the same management review: one prepares, the other
  gets the error, then "already prepared"; one set of figures;
* two users preparing (refilling) the same requirement review: one line per
  requirement, not two;
* an agent closing a complaint just received while the receipt cron mails
  its batch: the cron skips the ticket the agent holds (neither waits for
  it nor fails the whole batch), mails it on its next run.

The race of two cron workers sending the same campaign belongs to the mail
delivery tests (qms_crm_recall).
"""

import pytest
from qms_server import OdooEnv

pytestmark = pytest.mark.slow(60)

LOCKED = "is being changed by someone else right now"

SCRIPT = r'''
import json
from datetime import timedelta

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user

registry = env.registry
out = {}


def user(login, groups):
    return new_test_user(env, login=login, groups=groups, email=f"{login}@example.com")


def session(uid):
    """A transaction of its own: a new PostgreSQL connection."""
    return api.Environment(registry.cursor(), uid, {"lang": "en_US", "tz": "UTC"})


def attempt(sess, func):
    """func() then the flush a commit would run: "ok" or the error shown."""
    try:
        func()
        sess.flush_all()
        return "ok"
    except (UserError, ValidationError) as exc:
        sess.cr.rollback()
        return "error: " + str(exc.args[0])
    except SerializationFailure:
        sess.cr.rollback()
        return "serialization failure"
    except LockNotAvailable:
        sess.cr.rollback()
        return "waited for a lock until its timeout"


def close(*sessions):
    for sess in sessions:
        sess.cr.rollback()
        sess.cr.close()


customer = env["res.partner"].create({"name": "Race Customer", "email": "race@example.com"})
agent_a = user("race_agent_a", "helpdesk_mgmt.group_helpdesk_manager,qms_crm_evidence.group_qms_user")
agent_b = user("race_agent_b", "helpdesk_mgmt.group_helpdesk_manager,qms_crm_evidence.group_qms_user")
staff = user("race_staff", "sales_team.group_sale_manager,qms_crm_evidence.group_qms_manager")
manager_b = user("race_manager_b", "sales_team.group_sale_manager,qms_crm_evidence.group_qms_manager")
portal = new_test_user(env, login="race_portal", groups="base.group_portal", partner_id=customer.id)

# ---------------------------------------------------------------- complaint
done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
ticket = env["helpdesk.ticket"].create({
    "name": "Race: delivery late", "description": "<p>Late.</p>",
    "partner_id": customer.id, "user_id": agent_a.id,
    "qms_feedback_kind": "complaint", "qms_severity": "medium",
    "qms_root_cause_id": env.ref("qms_crm_complaint.root_cause_late_delivery").id,
    "qms_resolution": "Refunded the delivery fee.",
})
env.cr.commit()
A, B = session(agent_a.id), session(agent_b.id)
ta, tb = A["helpdesk.ticket"].browse(ticket.id), B["helpdesk.ticket"].browse(ticket.id)
seen_open = not tb.stage_id.closed  # both agents look at the open complaint
res = {"b_saw_open": seen_open}
res["a"] = attempt(A, lambda: ta.write({"stage_id": done.id}))
res["b"] = attempt(B, lambda: tb.write({"stage_id": done.id}))
A.cr.commit()
res["b_retry"] = attempt(B, lambda: tb.write({"stage_id": done.id}))
B.cr.commit()
close(A, B)
env.invalidate_all()
resolution = env.ref("qms_crm_complaint.mail_template_complaint_resolution")
res["resolved_uid"] = ticket.qms_resolved_uid.login
res["resolution_mails"] = env["mail.message"].search_count([
    ("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id),
    ("subtype_id", "=", env.ref("mail.mt_comment").id), ("partner_ids", "in", customer.ids),
])
res["followups"] = env["mail.activity"].search_count([
    ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id),
    ("activity_type_id", "=", env.ref("qms_crm_complaint.mail_activity_type_complaint_followup").id),
])
res["closed"] = bool(ticket.stage_id.closed)
out["complaint"] = res

# ---------------------------------------------------------------- requirement
def pending_requirement(name):
    req = env["qms.requirement"].create({
        "name": name, "description": "Deliver within 5 working days.",
        "category": "stated", "source": "call", "documented": False,
        "partner_id": customer.id,
    })
    req.action_submit()
    req.action_send_confirmation()
    env.cr.commit()
    return req


def confirm(sess, req, text_hash):
    rec = sess["qms.requirement"].sudo().browse(req.id)
    return lambda: rec._qms_record_confirmation(
        "confirmed", "", text_hash, ip="127.0.0.1", user=sess.user
    )


def change(sess, req):
    rec = sess["qms.requirement"].browse(req.id)
    return lambda: rec.write({"description": "Deliver within 3 working days."})


def confirmations(req):
    env.invalidate_all()
    return [
        (c.decision, "5 working days" in c.text_confirmed)
        for c in env["qms.requirement.confirmation"].sudo().search([("requirement_id", "=", req.id)])
    ]


# staff first, the customer meanwhile
req = pending_requirement("Race: staff first")
S, C = session(staff.id), session(portal.id)
read_hash = C["qms.requirement"].sudo().browse(req.id).text_hash  # the customer reads
res = {"staff": attempt(S, change(S, req)), "customer": attempt(C, confirm(C, req, read_hash))}
S.cr.commit()
res["customer_retry"] = attempt(C, confirm(C, req, read_hash))
C.cr.commit()
close(S, C)
res["confirmations"] = confirmations(req)
out["requirement_staff_first"] = res

# the customer first, staff meanwhile
req = pending_requirement("Race: customer first")
S, C = session(staff.id), session(portal.id)
read_hash = C["qms.requirement"].sudo().browse(req.id).text_hash
res = {"customer": attempt(C, confirm(C, req, read_hash)), "staff": attempt(S, change(S, req))}
C.cr.commit()
res["staff_retry"] = attempt(S, change(S, req))
S.cr.commit()
close(S, C)
res["confirmations"] = confirmations(req)
out["requirement_customer_first"] = res

# ---------------------------------------------------------------- management review
today = fields.Date.context_today(env["qms.management.review"].with_user(staff))
review = env["qms.management.review"].with_user(staff).create(
    {"date_from": today - timedelta(days=7), "date_to": today}
)
env.cr.commit()
A, B = session(staff.id), session(manager_b.id)
ra, rb = A["qms.management.review"].browse(review.id), B["qms.management.review"].browse(review.id)
res = {"b_saw_draft": rb.state == "draft"}
res["a"] = attempt(A, ra.action_prepare)
res["b"] = attempt(B, rb.action_prepare)
A.cr.commit()
res["b_retry"] = attempt(B, rb.action_prepare)
close(A, B)
env.invalidate_all()
env.cr.execute(
    "SELECT count(*), count(DISTINCT code) FROM qms_management_review_figure WHERE review_id = %s",
    [review.id],
)
res["figures"], res["distinct_figures"] = env.cr.fetchone()
res["prepared_by"] = review.prepared_uid.login
out["management_review"] = res

# ---------------------------------------------------------------- requirement review
product = env["product.product"].create({"name": "Race widget", "list_price": 10})
order = env["sale.order"].create({
    "partner_id": customer.id,
    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
})
req_review = env["qms.requirement.review"].create({"order_id": order.id})
for i in range(3):
    env["qms.requirement"].create({
        "name": f"Race review requirement {i}", "description": f"Requirement {i}.",
        "category": "stated", "source": "contract", "documented": True,
        "partner_id": customer.id, "order_id": order.id,
    })
env.cr.commit()
A, B = session(staff.id), session(manager_b.id)
ra, rb = A["qms.requirement.review"].browse(req_review.id), B["qms.requirement.review"].browse(req_review.id)
res = {"b_lines_before": len(rb.line_ids)}
res["a"] = attempt(A, ra.action_prefill)
res["b"] = attempt(B, rb.action_prefill)
A.cr.commit()
res["b_retry"] = attempt(B, rb.action_prefill)
B.cr.commit()
close(A, B)
env.invalidate_all()
lines = req_review.line_ids
res["lines"] = len(lines)
res["distinct_requirements"] = len(lines.requirement_id)
out["requirement_review"] = res

# ---------------------------------------------------------------- receipts
# an agent closes a complaint just received while the receipt cron mails the
# batch that holds it: the cron skips the ticket the agent holds (it does not
# wait for it, nor fail the whole batch when it writes), mails the others and
# the skipped one on its next run; one receipt each
def complaint(name):
    return env["helpdesk.ticket"].create({
        "name": name, "description": "<p>Broken on arrival.</p>",
        "partner_id": customer.id, "qms_feedback_kind": "complaint",
        "qms_severity": "low", "qms_resolution": "Replaced.",
        "qms_root_cause_id": env.ref("qms_crm_complaint.root_cause_late_delivery").id,
    })


env["helpdesk.ticket"].search([("qms_receipt_pending", "=", True)]).sudo().write(
    {"qms_receipt_pending": False})
held, free = complaint("Race: receipt held"), complaint("Race: receipt free")
env.cr.commit()
A, R = session(agent_a.id), session(api.SUPERUSER_ID)
R.cr.execute("SET lock_timeout = '3s'")
res = {"agent": attempt(A, lambda: A["helpdesk.ticket"].browse(held.id).write({"stage_id": done.id}))}
res["cron"] = attempt(R, lambda: res.setdefault("first_run", R["helpdesk.ticket"]._cron_qms_send_receipts()))
R.cr.commit()
A.cr.commit()
res["second_run"] = env["helpdesk.ticket"]._cron_qms_send_receipts()
env.cr.commit()
close(A, R)
env.invalidate_all()
res["pending"] = [t.qms_receipt_pending for t in (held, free)]
res["held_closed"] = bool(held.stage_id.closed)
out["receipts"] = res

print("QMSJSON " + json.dumps(out))
'''


@pytest.fixture(scope="module")
def races(pytestconfig):
    """What the race script printed, run once on a copy of the test database."""
    odoo_env = OdooEnv(pytestconfig)
    odoo_env.require_template()
    db = odoo_env.copy_db(f"{odoo_env.db}_races")
    try:
        yield odoo_env.shell_json(db, SCRIPT)
    finally:
        odoo_env.drop_db(db)


def test_two_agents_close_the_same_complaint(races):
    res = races["complaint"]
    assert res["b_saw_open"]
    assert res["a"] == "ok"
    assert res["b"].startswith("error: ") and LOCKED in res["b"], res
    # the retry (after the first agent committed) sees it closed: nothing new
    assert res["b_retry"] == "ok"
    assert res["closed"]
    assert res["resolved_uid"] == "race_agent_a"
    assert res["resolution_mails"] == 1, res
    assert res["followups"] == 1, res


def test_customer_confirms_while_staff_change_the_text(races):
    res = races["requirement_staff_first"]
    assert res["staff"] == "ok"
    assert LOCKED in res["customer"], res
    # the customer read the old text: their confirmation is refused
    assert "changed while you were reading" in res["customer_retry"], res
    assert res["confirmations"] == []


def test_staff_change_while_the_customer_confirms(races):
    res = races["requirement_customer_first"]
    assert res["customer"] == "ok"
    assert LOCKED in res["staff"], res
    assert res["staff_retry"] == "ok"
    # one confirmation, of the text the customer read (5 days, not 3)
    assert res["confirmations"] == [["confirmed", True]]


def test_two_managers_prepare_the_same_review(races):
    res = races["management_review"]
    assert res["b_saw_draft"]
    assert res["a"] == "ok"
    assert LOCKED in res["b"], res
    assert "already prepared" in res["b_retry"], res
    assert res["figures"] == res["distinct_figures"] > 0, res
    assert res["prepared_by"] == "race_staff"


def test_two_users_refill_the_same_requirement_review(races):
    res = races["requirement_review"]
    assert res["a"] == "ok"
    assert LOCKED in res["b"], res
    assert res["b_retry"] == "ok"
    assert res["lines"] == res["distinct_requirements"] >= 3, res


def test_the_receipt_cron_skips_a_complaint_an_agent_holds(races):
    res = races["receipts"]
    # the agent's close is not blocked, the cron neither waits nor fails
    assert res["agent"] == "ok" and res["cron"] == "ok", res
    assert res["first_run"] == 1 and res["second_run"] == 1, res
    assert res["pending"] == [False, False] and res["held_closed"], res
