# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell scripts below)
"""Mail delivery on the real SMTP path: a real SMTP server (aiosmtpd on
127.0.0.1), a real Odoo server with its cron worker, and two senders at once.

- 200 recall notices (with their PDF letter) are delivered by the server's
  crons after "Start notifying", without waiting for Odoo's hourly queue run:
  every notice reaches the SMTP server exactly once.
- Two senders (two real cursors in two threads, each committing per batch)
  queue the same campaign at the same moment, then deliver the queue at the
  same moment: every line gets one notice, every mail reaches the SMTP server
  once.
- A sender killed (``kill -9``) after the SMTP server has a mail but before
  its "250" reached the sender: the next sender does not send that mail
  again; it is of unknown delivery until a person confirms it.

Odoo does not connect to SMTP servers in test mode, so this runs an
``odoo-bin`` server and ``odoo-bin shell`` processes on a copy of the test
database (tests/qms_server.py).
"""

import os
import re
import signal
import subprocess
import threading
import time

import pytest
from qms_server import OdooServer, jsonrpc, login, new_session
from smtp_sink import SmtpSink

pytestmark = pytest.mark.slow(150)

NOTICES = int(os.environ.get("QMS_DELIVERY_NOTICES", "200"))
OURS = re.compile(r"delivery\d+@example\.com")

# the scripts' outgoing mail server: the test's SMTP sink
SINK_SERVER = """
env["ir.mail_server"].search([]).write({"active": False})
env["ir.mail_server"].create({"name": "SMTP sink", "smtp_host": "127.0.0.1",
    "smtp_port": %(port)d, "smtp_encryption": "none", "sequence": 1})
"""

SETUP = (
    """
import json
from odoo import Command
"""
    + SINK_SERVER
    + """ICP = env["ir.config_parameter"]
ICP.set_param("web.base.url", "%(url)s")
ICP.set_param("web.base.url.freeze", "True")
ICP.set_param("qms_crm.mail_delivery_batch", "%(batch)d")
ICP.set_param("qms_crm_recall.notice_batch", "%(batch)d")
customers = env["res.partner"].create([{"name": f"Delivery customer {i}", "is_company": True,
    "email": f"delivery{i}@example.com"} for i in range(%(count)d)])
product = env["product.product"].create({"name": "Delivery valve", "is_storable": True})
campaign = env["qms.recall.campaign"].create({"title": "Delivery recall",
    "kind": "recall", "reason": "Delivery test.", "instructions": "Stop using it.",
    "product_ids": [Command.set(product.ids)]})
lines = env["qms.recall.line"].create([{"campaign_id": campaign.id, "partner_id": c.id,
    "contact_id": c.id, "product_id": product.id, "quantity": 1.0} for c in customers])
campaign.write({"state": "%(state)s"})
# a server that has been running: no cron is overdue (a fresh copy of the
# database would run every cron first); what runs now is what is triggered
env.cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 hour'")
env.cr.commit()
print("QMSJSON " + json.dumps({"campaign": campaign.id, "lines": lines.ids}))
"""
)

CHECK = """
import json
env.cr.execute('''SELECT l.state, count(m.id), count(*) FILTER (WHERE m.state = 'sent')
    FROM qms_recall_line l
    LEFT JOIN mail_message msg ON msg.model = 'qms.recall.line' AND msg.res_id = l.id
    LEFT JOIN mail_mail m ON m.mail_message_id = msg.id
   WHERE l.campaign_id = %(campaign)d GROUP BY l.id, l.state''')
rows = env.cr.fetchall()
print("QMSJSON " + json.dumps({"line_states": sorted({r[0] for r in rows}),
    "mails_per_line": sorted({r[1] for r in rows}),
    "sent_per_line": sorted({r[2] for r in rows}), "lines": len(rows)}))
"""

TWO_SENDERS = """
import json, threading
from odoo import api, SUPERUSER_ID
registry = env.registry
barrier = threading.Barrier(2)
done, errors = {}, []

def run(key, model, method, **kwargs):
    try:
        with registry.cursor() as cr:
            wenv = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            done[key] = getattr(wenv[model], method)(**kwargs)
            cr.commit()
    except Exception as exc:  # reported, and the test fails
        errors.append(repr(exc))

for model, method, kwargs in (
    ("qms.recall.line", "_cron_send_notices", {"batch_size": 5, "letters": False, "commit": True}),
    ("mail.mail", "_qms_cron_deliver", {}),
):
    threads = [threading.Thread(target=run, args=(f"{method}-{i}", model, method), kwargs=kwargs)
               for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
print("QMSJSON " + json.dumps({"done": done, "errors": errors}))
"""

# what Odoo's send_after_commit does (a request's mails sent in a new cursor
# right after its commit) while the delivery cron their creation started
# sends the queue: two real cursors at the same moment
SEND_AFTER_COMMIT = """
import json, threading, traceback
from odoo import api, SUPERUSER_ID
registry = env.registry
env["qms.recall.line"]._cron_send_notices(batch_size=1000, letters=False, commit=True)
env.cr.execute("SELECT id FROM mail_mail WHERE state = 'outgoing' ORDER BY id")
ids = [row[0] for row in env.cr.fetchall()]
env.cr.commit()
barrier = threading.Barrier(2)
errors = []

def run(call):
    try:
        with registry.cursor() as cr:
            wenv = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            call(wenv)
            cr.commit()
    except Exception:  # reported, and the test fails
        errors.append(traceback.format_exc())

threads = [
    threading.Thread(target=run, args=(lambda e: e["mail.mail"]._qms_cron_deliver(),)),
    threading.Thread(target=run, args=(lambda e: e["mail.mail"].browse(ids).send(),)),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("QMSJSON " + json.dumps({"mails": len(ids), "errors": errors}))
"""


def _ours(message):
    return any(OURS.fullmatch(r) for r in message[1])


def _server_with_crons(odoo_env, db, tmp_path):
    """Two HTTP workers and one cron worker, for this database only (without
    a database it runs the crons of every database of the cluster)."""
    return OdooServer(
        odoo_env,
        db,
        tmp_path / "odoo.log",
        workers=2,
        extra=["--max-cron-threads=1", f"--database={db}"],
    )


def _assert_each_once(sink, count):
    ours = [m for m in sink.messages if _ours(m)]
    recipients = [r for m in ours for r in m[1]]
    assert len(ours) == count, (len(ours), count)
    assert len(set(recipients)) == count, len(set(recipients))
    assert len({m[0] for m in ours}) == count, "a Message-Id arrived twice"
    assert not sink.duplicates(), sink.duplicates()


def test_200_notices_reach_the_smtp_server_once_through_the_servers_crons(
    odoo_env, tmp_path
):
    db = odoo_env.copy_db(f"{odoo_env.db}_delivery")
    try:
        with SmtpSink() as sink:
            server = _server_with_crons(odoo_env, db, tmp_path)
            setup = odoo_env.shell_json(
                db,
                SETUP
                % {
                    "port": sink.port,
                    "url": server.url,
                    "count": NOTICES,
                    "batch": 50,
                    "state": "scoped",
                },
            )
            with server:
                session = login(new_session(), server.url, "admin", "admin")
                start = time.monotonic()
                jsonrpc(
                    session,
                    server.url,
                    "/web/dataset/call_kw",
                    {
                        "model": "qms.recall.campaign",
                        "method": "action_start_notifying",
                        "args": [[setup["campaign"]]],
                        "kwargs": {},
                    },
                )
                # Odoo's own queue run would send 1,000 an hour at best, and
                # not before its next hourly slot: here the crons deliver now
                arrived = sink.wait_for(
                    NOTICES, timeout=600, predicate=_ours, alive=server.alive
                )
                seconds = time.monotonic() - start
                time.sleep(2)  # anything sent twice would arrive now
                assert arrived, (
                    f"{sink.count(_ours)} of {NOTICES} notices arrived:\n"
                    f"{server.log()[-4000:]}"
                )
                assert server.tracebacks() == 0, server.log()[-6000:]
            print(
                f"\n{NOTICES} notices delivered by the server's crons in "
                f"{seconds:.1f} s ({len(sink.messages)} mails at the SMTP server)"
            )
            _assert_each_once(sink, NOTICES)
        _assert_lines_notified_once(odoo_env, db, setup["campaign"], NOTICES)
    finally:
        odoo_env.drop_db(db)


def _notifying_campaign(odoo_env, db, sink, count):
    """A campaign of count lines in state notifying, mailed through sink,
    batches of 5; return SETUP's figures."""
    return odoo_env.shell_json(
        db,
        SETUP
        % {
            "port": sink.port,
            "url": "http://127.0.0.1:8069",
            "count": count,
            "batch": 5,
            "state": "notifying",
        },
    )


def _assert_lines_notified_once(odoo_env, db, campaign, count):
    check = odoo_env.shell_json(db, CHECK % {"campaign": campaign})
    assert check == {
        "line_states": ["notified"],
        "mails_per_line": [1],
        "sent_per_line": [1],
        "lines": count,
    }, check


def test_two_senders_at_once_queue_and_deliver_each_notice_once(odoo_env):
    db = odoo_env.copy_db(f"{odoo_env.db}_senders")
    count = 60
    try:
        with SmtpSink() as sink:
            setup = _notifying_campaign(odoo_env, db, sink, count)
            result = odoo_env.shell_json(db, TWO_SENDERS)
            assert not result["errors"], result
            queued = [v for k, v in result["done"].items() if "notices" in k]
            assert sum(queued) == count, result
            sink.wait_for(count, timeout=30, predicate=_ours)
            time.sleep(1)
            print(f"\ntwo senders at once: {result['done']}")
            _assert_each_once(sink, count)
        _assert_lines_notified_once(odoo_env, db, setup["campaign"], count)
    finally:
        odoo_env.drop_db(db)


def test_mails_sent_after_a_commit_while_the_cron_delivers_go_out_once(odoo_env):
    """A request's mails that Odoo sends right after its commit are the
    ones the delivery cron was started for: each mail goes out once, and
    neither sender fails (the request's answer was an error before)."""
    db = odoo_env.copy_db(f"{odoo_env.db}_aftercommit")
    count = 60
    try:
        with SmtpSink() as sink:
            setup = _notifying_campaign(odoo_env, db, sink, count)
            result = odoo_env.shell_json(db, SEND_AFTER_COMMIT)
            # the database's own queued mails go out with them
            assert not result["errors"] and result["mails"] >= count, result
            sink.wait_for(count, timeout=30, predicate=_ours)
            time.sleep(1)
            _assert_each_once(sink, count)
        _assert_lines_notified_once(odoo_env, db, setup["campaign"], count)
    finally:
        odoo_env.drop_db(db)


KILLED_SENDER = """
env["qms.recall.line"]._cron_send_notices(batch_size=1000, letters=False, commit=True)
env.cr.commit()
env["mail.mail"]._qms_cron_deliver()
"""

NEXT_SENDER = """
import json
env["mail.mail"]._qms_cron_deliver()
env.cr.commit()
unknown = env["mail.mail"].search([("qms_delivery_unknown", "=", True)])
print("QMSJSON " + json.dumps({"unknown": unknown.mapped("message_id"),
    "states": unknown.mapped("state")}))
"""

# the person who found the Message-Id in the mail server's log
CONFIRM = """
import json
mail = env["mail.mail"].search([("qms_delivery_unknown", "=", True)])
mail.action_qms_confirm_delivered()
env.cr.commit()
line = env[mail.model].browse(mail.res_id)
print("QMSJSON " + json.dumps({"state": mail.state,
    "logged": [m.body for m in line.message_ids if "confirmed delivered" in (m.body or "")]}))
"""


def test_a_sender_killed_while_the_server_takes_a_mail_does_not_send_it_again(
    odoo_env, tmp_path
):
    """The SMTP server has the mail (its DATA ended) and holds its answer
    while the sender is killed: nobody can tell the sender's successor
    whether the server kept it. Before the in-flight journal it was sent a
    second time; now it waits, of unknown delivery, for a person."""
    db = odoo_env.copy_db(f"{odoo_env.db}_killed")
    count = 20
    release = threading.Event()
    first = []

    def hold(message):
        if not _ours(message):
            return False
        if not first:
            first.append(message[0])
        return message[0] == first[0] and not release.is_set()

    try:
        with SmtpSink(hold=hold) as sink:
            setup = _notifying_campaign(odoo_env, db, sink, count)
            log = tmp_path / "killed-sender.log"
            with open(log, "w") as out:
                proc = subprocess.Popen(
                    odoo_env.shell_command(db),
                    stdin=subprocess.PIPE,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                proc.stdin.write(KILLED_SENDER)
                proc.stdin.close()
                deadline = time.monotonic() + 300
                while (
                    not sink.held
                    and proc.poll() is None
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.05)
                assert sink.held, log.read_text()[-3000:]
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
            release.set()
            # its PostgreSQL connection ends with it
            time.sleep(1)
            after = odoo_env.shell_json(db, NEXT_SENDER)
            sink.wait_for(count, timeout=60, predicate=_ours)
            time.sleep(1)
            assert [m.strip() for m in after["unknown"]] == [first[0].strip()], after
            assert after["states"] == ["exception"], after
            # the held mail reached the server once: not sent again
            _assert_each_once(sink, count)
            confirmed = odoo_env.shell_json(db, CONFIRM)
            assert confirmed["state"] == "sent" and len(confirmed["logged"]) == 1, (
                confirmed
            )
        _assert_lines_notified_once(odoo_env, db, setup["campaign"], count)
    finally:
        odoo_env.drop_db(db)


# one mail to two partners: Odoo hands it to the SMTP server as two
# messages, one per partner, both with the mail's Message-Id
TWO_PARTNERS = (
    """
import json
"""
    + SINK_SERVER
    + """partners = env["res.partner"].create([
    {"name": "Receipt customer", "email": "delivery9001@example.com"},
    {"name": "Receipt follower", "email": "delivery9002@example.com"}])
mail = env["mail.mail"].create({"subject": "Complaint received",
    "body_html": "<p>We received your complaint.</p>",
    "recipient_ids": [(6, 0, partners.ids)]})
env.cr.commit()
error = None
try:
    env["mail.mail"]._qms_cron_deliver()
except Exception as exc:
    error = repr(exc)
print("QMSJSON " + json.dumps({"mail": mail.id, "message_id": mail.message_id,
    "error": error}))
"""
)

NEXT_DELIVERY = """
import json
env["mail.mail"]._qms_cron_deliver()
env.cr.commit()
mail = env["mail.mail"].browse(%(mail)d)
print("QMSJSON " + json.dumps({"state": mail.state,
    "unknown": mail.qms_delivery_unknown}))
"""


def test_a_batch_lost_between_two_partners_of_one_mail_still_reaches_the_second(
    odoo_env,
):
    """The server took the mail for the first partner, then dropped the
    connection before the second partner's message: the batch failed and
    was rolled back. The next sender hands the mail to the second partner
    only. (Journaled by Message-Id alone, the first acceptance made the
    whole mail "sent": the second partner never got it.)"""
    db = odoo_env.copy_db(f"{odoo_env.db}_partners")
    dropped, sinks = [], []

    def drop(arg):
        # the first RCPT of one of ours after one of ours was taken
        if dropped or not OURS.search(arg) or not sinks[0].count(_ours):
            return False
        dropped.append(arg)
        return True

    try:
        with SmtpSink(drop_rcpt=drop) as sink:
            sinks.append(sink)
            first = odoo_env.shell_json(db, TWO_PARTNERS % {"port": sink.port})
            # the connection was dropped at the second partner's RCPT
            assert dropped and "SMTPServerDisconnected" in (first["error"] or ""), (
                first,
                dropped,
            )
            assert sink.count(_ours) == 1, sink.messages
            after = odoo_env.shell_json(db, NEXT_DELIVERY % {"mail": first["mail"]})
            time.sleep(1)
            ours = [m for m in sink.messages if _ours(m)]
            assert sorted(r for m in ours for r in m[1]) == [
                "delivery9001@example.com",
                "delivery9002@example.com",
            ], ours
            assert {m[0].strip() for m in ours} == {first["message_id"].strip()}
            assert not sink.duplicates(), sink.duplicates()
            assert after == {"state": "sent", "unknown": False}, after
    finally:
        odoo_env.drop_db(db)


# what a server killed while it delivered leaves behind: due mails, and
# neither a trigger nor a job that would start their delivery
LEFT_BY_A_DEAD_SERVER = (
    """
import json
"""
    + SINK_SERVER
    + """partners = env["res.partner"].create([{"name": f"Waiting customer {i}",
    "email": f"delivery{8000 + i}@example.com"} for i in range(%(count)d)])
env["mail.mail"].create([{"subject": "Recall notice", "body_html": "<p>Stop using it.</p>",
    "recipient_ids": [(6, 0, p.ids)]} for p in partners])
env.cr.execute("DELETE FROM ir_cron_trigger")
env.cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day'")
env.cr.execute("DELETE FROM queue_job WHERE state IN ('pending', 'enqueued')")
# a job the dead server was running: started a minute ago, its lock free
job = env["mail.mail"].with_delay(description="Dead delivery")._qms_job_deliver()
env.cr.execute("UPDATE queue_job SET state = 'started', date_enqueued = "
    "now() AT TIME ZONE 'UTC' - interval '1 minute' WHERE uuid = %%s", [job.uuid])
env.cr.commit()
print("QMSJSON " + json.dumps({"mails": len(partners), "dead_job": job.uuid}))
"""
)


def test_a_server_that_starts_resumes_the_delivery_a_dead_one_left(odoo_env, tmp_path):
    """Due mails wait, nothing scheduled to send them (their sender died
    with its server). The restarted server delivers them within seconds:
    a new cron worker would sleep a minute before its first look at its
    triggers, and nothing would be due for it then either. The job the
    dead server was running is queued again at once (queue_job's runner
    would look for it a minute after its start)."""
    db = odoo_env.copy_db(f"{odoo_env.db}_resume")
    count = 5
    try:
        with SmtpSink() as sink:
            left = odoo_env.shell_json(
                db, LEFT_BY_A_DEAD_SERVER % {"port": sink.port, "count": count}
            )
            server = _server_with_crons(odoo_env, db, tmp_path)
            start = time.monotonic()
            with server:
                arrived = sink.wait_for(
                    count, timeout=50, predicate=_ours, alive=server.alive
                )
                seconds = time.monotonic() - start
                time.sleep(1)
                assert arrived, (
                    f"{sink.count(_ours)} of {count} waiting mails arrived:\n"
                    f"{server.log()[-4000:]}"
                )
                assert "Mail delivery resumed after the server started" in (
                    server.log()
                )
                # queued again for a job runner (this server runs none)
                assert odoo_env.sql(
                    db,
                    "SELECT state FROM queue_job WHERE uuid = %s",
                    [left["dead_job"]],
                ) == [("pending",)], server.log()[-3000:]
            print(
                f"\nthe restarted server delivered the waiting mails in {seconds:.1f} s"
            )
            _assert_each_once(sink, count)
    finally:
        odoo_env.drop_db(db)


# Odoo's send_after_commit sends a request's mails in a new cursor while
# the delivery cron claims them: the cron commits its claim after that
# cursor's snapshot was taken (REPEATABLE READ), the moment made certain
SNAPSHOT_RACE = """
import json, traceback
from odoo import api, SUPERUSER_ID
registry = env.registry
mails = env["mail.mail"].create([{"subject": "Receipt", "body_html": "<p>Received.</p>",
    "email_to": f"delivery{7000 + i}@example.com"} for i in range(3)])
env.cr.commit()
taken, error = None, None
with registry.cursor() as late, registry.cursor() as cron:
    late.execute("SELECT 1")  # its snapshot
    cron.execute("UPDATE mail_mail SET qms_claim_pid = pg_backend_pid(), "
        "qms_claim_date = clock_timestamp() AT TIME ZONE 'UTC' WHERE id = %s", [mails[1].id])
    cron.commit()  # the cron's connection lives on: its claim holds
    try:
        taken = api.Environment(late, SUPERUSER_ID, {})["mail.mail"].browse(
            mails.ids)._qms_take_for_send().ids
    except Exception:
        error = traceback.format_exc()
print("QMSJSON " + json.dumps({"mails": mails.ids, "taken": taken, "error": error}))
"""


def test_a_mail_claimed_after_the_senders_snapshot_is_left_to_its_claimer(odoo_env):
    """The request's sender skips the mail the cron claimed after its
    snapshot and takes the others, instead of failing on a serialization
    error (an error answered to a request that had committed fine)."""
    db = odoo_env.copy_db(f"{odoo_env.db}_snapshot")
    try:
        result = odoo_env.shell_json(db, SNAPSHOT_RACE)
        assert result["error"] is None, result["error"]
        first, claimed, last = result["mails"]
        assert result["taken"] == [first, last], result
    finally:
        odoo_env.drop_db(db)
