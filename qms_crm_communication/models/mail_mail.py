# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
import contextvars
import logging
import os
import threading
from datetime import timedelta

import psycopg2
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, _, api, fields, models, modules, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service import server as odoo_server
from odoo.tools import SQL, config

from .ir_mail_server import _ACCEPTED

_logger = logging.getLogger(__name__)

# days during which a mail the mail server did not take is offered again
DEFAULT_RETRY_DAYS = 3
# mails claimed and sent per transaction by the delivery driver
DEFAULT_DELIVERY_BATCH = 100
# a claim whose sender still runs is honoured this long at most
CLAIM_TIMEOUT = timedelta(hours=1)
# back-off between two attempts of a mail the mail server did not take
MAX_BACKOFF_MINUTES = 60
# seconds after a server started before it resumes the delivery a stopped
# server left: its cron worker listens for triggers by then (a new cron
# worker first sleeps a minute), and queue_job's runner, woken by the job,
# takes a job of the dead server for dead once it was enqueued 10 s ago
RESUME_DELAY = 12
# failures worth another attempt: the server could not be reached or dropped
# the connection (Odoo writes no failure type, or mail_smtp)
RETRY_FAILURE_TYPES = (False, "mail_smtp")


# what Odoo's sender reads of every mail (see MailMail._send)
SEND_MAIL_FIELDS = [
    "state",
    "email_to",
    "email_cc",
    "body_html",
    "headers",
    "references",
    "recipient_ids",
    "mail_message_id",
    "auto_delete",
    "scheduled_date",
    "is_notification",
]
SEND_MESSAGE_FIELDS = [
    "subject",
    "email_from",
    "reply_to",
    "model",
    "res_id",
    "message_id",
    "message_type",
    "author_id",
    "mail_server_id",
    "record_alias_domain_id",
    "record_company_id",
    "subtype_id",
    "email_layout_xmlid",
    "attachment_ids",
    # read by the "sent" write: the ORM looks up the mails of the message to
    # mark what depends on them as modified
    "mail_ids",
]


# set while the delivery itself (recovery, a person's confirmation) changes
# whether a mail's delivery is unknown: not reachable from a client's request
_DECIDING = contextvars.ContextVar("qms_delivery_deciding", default=False)


@contextlib.contextmanager
def _deciding():
    token = _DECIDING.set(True)
    try:
        yield
    finally:
        _DECIDING.reset(token)


def _resume_delivery(dbname):
    """Run in a thread of a server that just started (see
    ``MailMail._register_hook``)."""
    try:
        with Registry(dbname).cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["mail.mail"]._qms_resume_delivery()
    except psycopg2.OperationalError as exc:
        # the database is away (restarting): the cron's next run delivers
        _logger.warning("Mail delivery not resumed after the start: %s", exc)
    except Exception:
        _logger.exception("Mail delivery: could not resume after the start")
    finally:
        server = odoo_server.server
        if isinstance(server, odoo_server.PreforkServer) and server.pid == os.getpid():
            # the prefork master forks workers: it keeps no connection
            sql_db.close_db(dbname)


def retry_backoff(attempts):
    """Wait before attempt ``attempts + 1``: at once, then 1, 2, 4 ... minutes,
    at most an hour."""
    if attempts <= 0:
        return timedelta(0)
    return timedelta(minutes=min(2 ** (attempts - 1), MAX_BACKOFF_MINUTES))


class MailMail(models.Model):
    _inherit = "mail.mail"

    qms_claim_pid = fields.Integer(
        string="Claimed by Connection",
        readonly=True,
        copy=False,
        help="PostgreSQL backend of the sender that took this mail: while that "
        "connection lives, no other sender touches the mail.",
    )
    qms_claim_date = fields.Datetime(string="Claimed On", readonly=True, copy=False)
    qms_retry_count = fields.Integer(
        string="Delivery Retries",
        readonly=True,
        copy=False,
        help="How many times the mail went back to the queue because the mail "
        "server could not be reached.",
    )
    qms_delivery_unknown = fields.Boolean(
        string="Delivery Unknown",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Its sender stopped (crashed, killed, restarted) while the mail "
        "server was taking this mail: the server may have it or not. It is "
        "not sent again by itself; a person checks the mail server's log for "
        "its Message-Id, then confirms it delivered or sends it again.",
    )

    def init(self):
        res = super().init()
        # the due queue, read by every claim: outgoing mails by id
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS mail_mail_qms_outgoing_idx "
            "ON mail_mail (id) WHERE state = 'outgoing'"
        )
        # hand-overs (Message-Id, envelope recipients) the SMTP server took,
        # written the moment it took them (ir.mail_server.send_email), and
        # hand-overs written (committed) before their DATA
        # (ir.mail_server: _data_in_flight); pruned after CLAIM_TIMEOUT twice
        # over. Times on the database's clock (as the claims): compared with
        # the claim, never with an app server's
        for table, moment in (
            ("qms_mail_accepted", "accepted_at"),
            ("qms_mail_in_flight", "started_at"),
        ):
            self._qms_journal_table(table, moment)
        # one row per mail server key: mails handed over in the current minute
        self.env.cr.execute(
            """CREATE TABLE IF NOT EXISTS qms_mail_rate_window (
                   server_id integer PRIMARY KEY,
                   window_start timestamp NOT NULL,
                   sent integer NOT NULL DEFAULT 0)"""
        )
        return res

    def _qms_journal_table(self, table, moment):
        cr = self.env.cr
        cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %(table)s (
                       message_id varchar NOT NULL,
                       recipients varchar NOT NULL DEFAULT '',
                       %(moment)s timestamp NOT NULL
                           DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'))""",
                table=SQL.identifier(table),
                moment=SQL.identifier(moment),
            )
        )
        # an earlier journal was keyed by Message-Id alone: its rows keep
        # recipients '' (a whole mail, see _qms_recover); its time may have
        # defaulted to the transaction's start
        cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [f"{table}_pkey"])
        if cr.fetchone():
            cr.execute(
                SQL(
                    "ALTER TABLE %(table)s DROP CONSTRAINT %(pkey)s, "
                    "ADD COLUMN IF NOT EXISTS recipients varchar NOT NULL "
                    "DEFAULT '', ALTER COLUMN %(moment)s "
                    "SET DEFAULT (clock_timestamp() AT TIME ZONE 'UTC')",
                    table=SQL.identifier(table),
                    pkey=SQL.identifier(f"{table}_pkey"),
                    moment=SQL.identifier(moment),
                )
            )
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %(index)s "
                "ON %(table)s (message_id, recipients)",
                index=SQL.identifier(f"{table}_hand_over"),
                table=SQL.identifier(table),
            )
        )

    def _register_hook(self):
        """When a server starts (not a shell, an upgrade or a test run), the
        delivery a stopped or killed server left is resumed a few seconds
        later (``RESUME_DELAY``), not when the cron's next slot comes: a new
        cron worker sleeps a minute before it looks at its triggers, and
        queue_job's runner looks again for dead jobs only when woken."""
        res = super()._register_hook()
        # a server's process loads the registry: the prefork master (with
        # -d), a worker (its first request or job), or the threaded server;
        # not the longpolling process
        if (
            odoo_server.server is not None
            and not isinstance(odoo_server.server, odoo_server.GeventServer)
            and not config["stop_after_init"]
            and not config["test_enable"]
            and not modules.module.current_test
        ):
            timer = threading.Timer(
                RESUME_DELAY, _resume_delivery, [self.env.cr.dbname]
            )
            timer.daemon = True
            timer.start()
        return res

    @api.model
    def _qms_resume_delivery(self):
        """Trigger the delivery when mails are due (mails a dead sender held
        are due again: its claims lapsed with its connection)."""
        due = self._qms_due_count()
        if due:
            _logger.info("Mail delivery resumed after the server started: %s due", due)
            self._qms_delivery_schedule()
        return due

    # ------------------------------------------------------------------
    # Scheduling: every queued mail starts the delivery at once
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        mails = super().create(vals_list)
        outgoing = mails.filtered(lambda m: m.state == "outgoing")
        if outgoing:
            # once per transaction: a recall of 10,000 notices is one trigger
            data = self.env.cr.precommit.data
            if not data.get("qms_mail_delivery_scheduled"):
                data["qms_mail_delivery_scheduled"] = True
                self._qms_delivery_schedule()
        return mails

    @api.model
    def _qms_delivery_schedule(self, at=None):
        """Have the queue delivered now (or at ``at``): the delivery cron is
        triggered; ``qms_crm_queue_job`` enqueues jobs as well."""
        self.env.ref("qms_crm_communication.ir_cron_qms_mail_deliver").sudo()._trigger(
            at
        )
        return True

    # ------------------------------------------------------------------
    # Claims: mark before send, committed, skipped by every other sender
    # ------------------------------------------------------------------
    @api.model
    def _qms_unclaimed_sql(self, alias="m"):
        """Mails no living sender holds: never claimed, claimed by a
        PostgreSQL connection that is gone (its process crashed or was
        killed), or claimed more than an hour ago."""
        return SQL(
            """(%(a)s.qms_claim_pid IS NULL
                OR %(a)s.qms_claim_date < %(stale)s
                OR NOT EXISTS (
                    SELECT 1 FROM pg_stat_activity act
                     WHERE act.pid = %(a)s.qms_claim_pid
                       AND act.backend_start
                           <= (%(a)s.qms_claim_date AT TIME ZONE 'UTC')))""",
            a=SQL.identifier(alias),
            stale=fields.Datetime.now() - CLAIM_TIMEOUT,
        )

    @api.model
    def _qms_due_sql(self, alias="m"):
        return SQL(
            "%(a)s.state = 'outgoing' AND (%(a)s.scheduled_date IS NULL "
            "OR %(a)s.scheduled_date <= %(now)s) AND %(unclaimed)s",
            a=SQL.identifier(alias),
            now=fields.Datetime.now(),
            unclaimed=self._qms_unclaimed_sql(alias),
        )

    @api.model
    def _qms_recover(self):
        """Mails a sender claimed but whose "sent" state it never committed
        (its process died, or its batch failed and was rolled back). Each
        hand-over of such a mail (one SMTP message: the mail's Message-Id to
        some recipients) is one of:

        - taken by the SMTP server after the claim (journal
          ``qms_mail_accepted``): the mail goes back to the queue, and its
          next sender does not hand it over again
          (``_qms_accepted_hand_overs``); its other recipients get it;
        - handed over (journal ``qms_mail_in_flight``, written before its
          DATA) with no answer of the server journaled after that: the
          sender stopped between the end of DATA and the journal of the
          server's answer, and nobody can tell whether the server has it
          (SMTP has no two-phase commit). Sending it again could deliver it
          twice, not sending it could lose it: the mail is marked *delivery
          unknown* (failed, never sent again by itself) for a person to check
          the mail server's log and decide (``action_qms_confirm_delivered``
          or ``action_retry``, which sends only the hand-overs the server did
          not take);
        - never handed over: the mail goes back to the queue through
          ``_qms_unclaimed_sql``.

        A journal row without recipients (written before hand-overs were
        journaled one by one) stands for the whole mail: it is marked sent."""
        self.env.flush_all()
        unknown_sql = SQL(
            """EXISTS (
                   SELECT 1 FROM qms_mail_in_flight f
                    WHERE f.message_id = msg.message_id
                      AND f.started_at >= m.qms_claim_date
                      AND NOT EXISTS (
                          SELECT 1 FROM qms_mail_accepted j
                           WHERE j.message_id = f.message_id
                             AND j.recipients IN (f.recipients, '')
                             AND j.accepted_at >= f.started_at))"""
        )
        whole_sql = SQL(
            """EXISTS (
                   SELECT 1 FROM qms_mail_accepted j
                    WHERE j.message_id = msg.message_id AND j.recipients = ''
                      AND j.accepted_at >= m.qms_claim_date)"""
        )
        self.env.cr.execute(
            SQL(
                """SELECT m.id, NOT %(unknown)s
                     FROM mail_mail m
                     JOIN mail_message msg ON msg.id = m.mail_message_id
                    WHERE m.state = 'outgoing' AND m.qms_claim_date IS NOT NULL
                      AND (%(unknown)s OR %(whole)s)
                      AND %(unclaimed)s
                      FOR UPDATE OF m SKIP LOCKED""",
                unknown=unknown_sql,
                whole=whole_sql,
                unclaimed=self._qms_unclaimed_sql(),
            )
        )
        rows = self.env.cr.fetchall()
        taken = self.browse(mail_id for mail_id, accepted in rows if accepted)
        unknown = self.browse(mail_id for mail_id, accepted in rows if not accepted)
        if taken:
            _logger.info(
                "%s mail(s) taken by the mail server before their sender "
                "stopped: marked sent, not sent again",
                len(taken),
            )
            taken.write(
                {"state": "sent", "failure_type": False, "failure_reason": False}
            )
            taken._postprocess_sent_message(success_pids=[], success_emails=[])
        if unknown:
            _logger.warning(
                "%s mail(s) of unknown delivery (their sender stopped while "
                "the mail server was taking them), not sent again: %s",
                len(unknown),
                unknown.mapped("message_id"),
            )
            for mail in unknown:
                with _deciding():
                    mail.write(
                        {
                            "state": "exception",
                            "qms_delivery_unknown": True,
                            "failure_type": "unknown",
                            "failure_reason": _(
                                "Delivery unknown: the sender stopped while the mail "
                                "server was taking this mail. Look for Message-Id "
                                "%(message_id)s in the mail server's log, then "
                                "confirm it delivered or send it again.",
                                message_id=mail.message_id,
                            ),
                        }
                    )
            unknown._postprocess_sent_message(
                success_pids=[], success_emails=[], failure_type="unknown"
            )
        return taken

    def write(self, vals):
        """A mail of unknown delivery leaves that state only by a person's
        decision, on every write path (form buttons, list "Retry", RPC,
        import): sent again (back to the queue, logged on its document),
        cancelled, or confirmed delivered through
        ``action_qms_confirm_delivered``; never marked sent by a plain write."""
        if _DECIDING.get():
            return super().write(vals)
        if "qms_delivery_unknown" in vals:
            raise UserError(
                _(
                    "Whether the delivery of a mail is unknown is set by the mail "
                    "delivery only."
                )
            )
        if "state" in vals:
            unknown = self.filtered("qms_delivery_unknown")
            if unknown and vals["state"] in ("sent", "received"):
                raise UserError(
                    _(
                        "A mail of unknown delivery is marked sent only with "
                        '"Delivered (found in the server\'s log)", which records '
                        "who checked it."
                    )
                )
            if unknown and vals["state"] != "exception":
                for mail in unknown:
                    if vals["state"] == "outgoing":
                        body = _(
                            "Mail %(message_id)s of unknown delivery sent again "
                            "by %(user)s.",
                            message_id=mail.message_id,
                            user=self.env.user.name,
                        )
                    else:
                        body = _(
                            "Mail %(message_id)s of unknown delivery cancelled "
                            "by %(user)s.",
                            message_id=mail.message_id,
                            user=self.env.user.name,
                        )
                    mail._qms_log_delivery_decision(body)
                vals = dict(vals, qms_delivery_unknown=False)
        return super().write(vals)

    def action_qms_confirm_delivered(self):
        """A person found the mail in the mail server's log: it was
        delivered. Marked sent, and the decision is logged on the mail's
        document (who, when, which Message-Id)."""
        if self.filtered(lambda m: not m.qms_delivery_unknown):
            raise UserError(
                _("Only a mail of unknown delivery can be confirmed delivered.")
            )
        for mail in self:
            mail._qms_log_delivery_decision(
                _(
                    "Mail %(message_id)s of unknown delivery confirmed delivered "
                    "by %(user)s after checking the mail server's log.",
                    message_id=mail.message_id,
                    user=self.env.user.name,
                )
            )
        with _deciding():
            self.write(
                {
                    "state": "sent",
                    "qms_delivery_unknown": False,
                    "failure_type": False,
                    "failure_reason": False,
                }
            )
        self._postprocess_sent_message(
            success_pids=self.recipient_ids.ids, success_emails=[]
        )
        return True

    def _qms_log_delivery_decision(self, body):
        self.ensure_one()
        _logger.info(body)
        document = (
            self.env[self.model].browse(self.res_id).exists()
            if self.model in self.env and self.res_id
            else None
        )
        if document and hasattr(document, "_message_log"):
            document.sudo()._message_log(body=body)

    @api.autovacuum
    def _gc_qms_mail_accepted(self):
        self.env.cr.execute(
            "DELETE FROM qms_mail_accepted WHERE accepted_at < %s",
            [fields.Datetime.now() - 2 * CLAIM_TIMEOUT],
        )
        self.env.cr.execute(
            "DELETE FROM qms_mail_in_flight WHERE started_at < %s",
            [fields.Datetime.now() - 2 * CLAIM_TIMEOUT],
        )

    @api.model
    def _qms_due_count(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT count(*) FROM mail_mail m WHERE %s", self._qms_due_sql())
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _qms_rate_limits(self):
        """{server key: mails per minute} of the rate-limited servers. A mail
        without a server of its own counts against the first server (the one
        Odoo uses by default), key 0 when there is no server record."""
        servers = (
            self.env["ir.mail_server"]
            .sudo()
            .search_read(
                [("active", "=", True)], ["qms_rate_limit"], order="sequence, id"
            )
        )
        limits = {s["id"]: s["qms_rate_limit"] for s in servers if s["qms_rate_limit"]}
        default = servers[0]["id"] if servers else 0
        return limits, default

    @api.model
    def _qms_rate_allowance(self, key, limit):
        """Mails server ``key`` may still take in its current minute (the
        row is locked until the claim commits); and when that minute ends."""
        now = fields.Datetime.now()
        cr = self.env.cr
        cr.execute(
            "INSERT INTO qms_mail_rate_window (server_id, window_start, sent) "
            "VALUES (%s, %s, 0) ON CONFLICT (server_id) DO NOTHING",
            [key, now],
        )
        cr.execute(
            "SELECT window_start, sent FROM qms_mail_rate_window "
            "WHERE server_id = %s FOR UPDATE",
            [key],
        )
        start, sent = cr.fetchone()
        if now - start >= timedelta(minutes=1):
            start, sent = now, 0
            cr.execute(
                "UPDATE qms_mail_rate_window SET window_start = %s, sent = 0 "
                "WHERE server_id = %s",
                [start, key],
            )
        return max(limit - sent, 0), start + timedelta(minutes=1)

    @api.model
    def _qms_claim(self, limit, restrict_ids=None):
        """Claim up to ``limit`` due mails for this connection: their rows are
        locked with ``FOR UPDATE SKIP LOCKED`` (a concurrent sender takes
        other rows instead of waiting) and stamped with this connection's
        backend; committed by the caller before anything is sent, so that no
        other sender (another cron worker, another Odoo node, Odoo's own queue
        run) sends them too. Per-server rate limits cap the claim.

        Return (claimed ids, moment the rate limit allows more or None)."""
        cr = self.env.cr
        self._qms_recover()
        self.env.flush_all()
        limits, default = self._qms_rate_limits()
        # the server is a field of the mail's message (mail.mail _inherits it)
        server_key = SQL(
            "COALESCE((SELECT msg.mail_server_id FROM mail_message msg "
            "WHERE msg.id = m.mail_message_id), %s)",
            default,
        )
        restrict = (
            SQL("AND m.id = ANY(%s)", list(restrict_ids))
            if restrict_ids is not None
            else SQL()
        )
        claimed, wait_until = [], None

        def claim(extra, count):
            cr.execute(
                SQL(
                    """WITH due AS (
                           SELECT m.id FROM mail_mail m
                            WHERE %(due)s %(restrict)s %(extra)s
                            ORDER BY m.id LIMIT %(count)s
                              FOR UPDATE OF m SKIP LOCKED)
                       UPDATE mail_mail m
                          SET qms_claim_pid = pg_backend_pid(),
                              qms_claim_date = clock_timestamp() AT TIME ZONE 'UTC'
                         FROM due WHERE m.id = due.id
                     RETURNING m.id""",
                    due=self._qms_due_sql(),
                    restrict=restrict,
                    extra=extra,
                    count=count,
                )
            )
            return [row[0] for row in cr.fetchall()]

        for key, rate in limits.items():
            if len(claimed) >= limit:
                break
            allowance, window_end = self._qms_rate_allowance(key, rate)
            ids = (
                claim(
                    SQL("AND %s = %s", server_key, key),
                    min(allowance, limit - len(claimed)),
                )
                if allowance
                else []
            )
            if ids:
                cr.execute(
                    "UPDATE qms_mail_rate_window SET sent = sent + %s "
                    "WHERE server_id = %s",
                    [len(ids), key],
                )
            if len(ids) == allowance:
                # the server's minute is used up: come back when it ends
                wait_until = min(wait_until or window_end, window_end)
            claimed += ids
        if len(claimed) < limit:
            others = (
                SQL("AND %s != ALL(%s)", server_key, list(limits)) if limits else SQL()
            )
            claimed += claim(others, limit - len(claimed))
        claimed.sort()
        return claimed, wait_until

    def _qms_release(self):
        """Give back the claims of mails of self that were not sent."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE mail_mail SET qms_claim_pid = NULL "
                "WHERE id = ANY(%s) AND state = 'outgoing' "
                "AND qms_claim_pid = pg_backend_pid()",
                [self.ids],
            )
            self.invalidate_recordset(["qms_claim_pid"])

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """Send only the mails of self that no other sender holds: Odoo
        sends some mails right after the request's commit, in a new cursor
        (``send_after_commit``), while the delivery cron their creation
        started may be sending them: both sent the mail, and the update of
        the same rows failed to serialize, an error reported to a request
        that had committed fine. The mails are locked (``SKIP LOCKED``) and
        those another living sender claimed are left to it."""
        mails = self._qms_take_for_send()
        return super(MailMail, mails).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _qms_take_for_send(self):
        """The mails of self this connection may send (see send)."""
        if not self.ids:
            return self
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                taken = self._qms_lock_for_send(self.ids)
        except SerializationFailure:
            # another sender claimed some of these mails and committed
            # after this transaction's snapshot was taken (REPEATABLE READ:
            # the request whose mails Odoo sends after its commit, while the
            # delivery cron claims them): those are its own, the others are
            # taken one by one
            taken = set()
            for mail_id in self.ids:
                with contextlib.suppress(SerializationFailure):
                    with self.env.cr.savepoint(flush=False):
                        taken |= self._qms_lock_for_send([mail_id])
        if len(taken) < len(self.ids):
            _logger.info(
                "%s mail(s) left to the sender that holds them",
                len(set(self.ids) - taken),
            )
        return self.filtered(lambda mail: mail.id in taken)

    def _qms_lock_for_send(self, ids):
        self.env.cr.execute(
            SQL(
                """SELECT m.id FROM mail_mail m
                    WHERE m.id = ANY(%s)
                      AND (m.qms_claim_pid = pg_backend_pid() OR %s)
                      FOR UPDATE OF m SKIP LOCKED""",
                list(ids),
                self._qms_unclaimed_sql(),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _qms_delivery_batch_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.mail_delivery_batch", DEFAULT_DELIVERY_BATCH)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_DELIVERY_BATCH

    @api.model
    def _qms_deliver_batch(self, limit, restrict_ids=None, retry=True):
        """Claim one batch, commit the claim, send it with Odoo's own sender
        and commit the batch; retry later what the server did not take
        (``retry``; Odoo's queue run leaves that to the requeue cron, as
        stock Odoo does).

        One commit per batch, not per mail as Odoo's queue run does (a commit
        empties the ORM cache: every mail would read its company, server and
        partners again): the journal of accepted Message-Ids, committed by
        ``ir.mail_server.send_email`` the moment the SMTP server took each
        mail, is what keeps a mail from being sent twice when the batch is
        lost (``_qms_recover``).

        Return (mails, moment the rate limit allows more or None)."""
        auto_commit = not modules.module.current_test
        if auto_commit:
            # the claim starts a fresh transaction that reads committed rows
            # (READ COMMITTED: a row another sender claimed and committed in
            # between is skipped, not a serialization error)
            self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        ids, wait_until = self._qms_claim(limit, restrict_ids=restrict_ids)
        mails = self.browse(ids)
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        mails.invalidate_recordset()
        if not mails:
            return mails, wait_until
        try:
            mails.send(auto_commit=False)
        except Exception:
            if auto_commit:
                self.env.cr.rollback()
                mails._qms_release()
                self.env.cr.commit()  # pylint: disable=invalid-commit
            raise
        mails.invalidate_recordset()
        if retry:
            mails.exists()._qms_retry_later()
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return mails, wait_until

    def _send(self, *args, **kwargs):
        """Odoo's sender reads each mail of the batch alone (its loop browses
        one id at a time: the mail, its message, recipients and attachments
        cost a query each, per mail); they are read for the whole batch
        first, into the cache the loop reads from. The hand-overs the SMTP
        server already took for these mails are not handed over again (see
        ``ir.mail_server.send_email``)."""
        self._qms_prefetch_for_send()
        token = _ACCEPTED.set(self._qms_accepted_hand_overs())
        try:
            return super()._send(*args, **kwargs)
        finally:
            _ACCEPTED.reset(token)

    def _qms_accepted_hand_overs(self):
        """{(Message-Id, recipients)} the SMTP server took for the mails of
        self since they were created: hand-overs of a batch that was lost
        after the server took them (the sender died or the batch failed, see
        ``_qms_recover``). One query per batch."""
        if not self.ids:
            return frozenset()
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT j.message_id, j.recipients
                 FROM mail_mail m
                 JOIN mail_message msg ON msg.id = m.mail_message_id
                 JOIN qms_mail_accepted j ON j.message_id = msg.message_id
                WHERE m.id = ANY(%s) AND j.recipients != ''
                  AND j.accepted_at >= m.create_date""",
            [self.ids],
        )
        return frozenset(self.env.cr.fetchall())

    def _qms_prefetch_for_send(self):
        if len(self) < 2:
            return
        mails = self.sudo()
        mails.fetch(SEND_MAIL_FIELDS)
        messages = mails.mail_message_id
        messages.fetch(SEND_MESSAGE_FIELDS)
        # partner_share: the body of each recipient is personalized with it
        mails.recipient_ids.fetch(["name", "email", "lang", "partner_share"])
        messages.attachment_ids.fetch(
            ["name", "mimetype", "url", "file_size", "res_model", "res_id", "type"]
        )

    def _qms_retry_later(self):
        """Mails of self the server did not take (unreachable, connection
        dropped) go back to the queue after a back-off that doubles with each
        attempt, for ``qms_crm.mail_retry_days`` days."""
        failed = self.filtered(
            lambda m: (
                m.state == "exception"
                and m.failure_type in RETRY_FAILURE_TYPES
                and m.create_date
                >= fields.Datetime.now() - timedelta(days=self._qms_retry_days())
            )
        )
        if not failed:
            return failed
        now = fields.Datetime.now()
        first = None
        for attempts in set(failed.mapped("qms_retry_count")):
            group = failed.filtered(lambda m, a=attempts: m.qms_retry_count == a)
            at = now + retry_backoff(attempts + 1)
            group.write({"qms_retry_count": attempts + 1, "scheduled_date": at})
            group.mark_outgoing()
            first = min(first or at, at)
        self._qms_delivery_schedule(first)
        return failed

    @api.model
    def _qms_retry_days(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.mail_retry_days", DEFAULT_RETRY_DAYS)
            or DEFAULT_RETRY_DAYS
        )

    @api.model
    def _qms_cron_deliver(self):
        """Deliver the mail queue now, batch after batch, until it is empty.

        Odoo's own queue run (``process_email_queue``, cron "Mail: Email Queue
        Manager") sends at most 1,000 mails and then waits for its next hourly
        slot. This cron is triggered as soon as mails are queued and runs
        until no due mail is left; each batch is claimed and committed before
        it is sent, so several cron workers or Odoo nodes share the queue
        without sending a mail twice. A rate-limited server's share waits for
        the next minute; scheduled mails wake the cron when they are due."""
        batch = self._qms_delivery_batch_size()
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        total, wait_until = 0, None
        while True:
            try:
                mails, wait = self._qms_deliver_batch(batch)
            except SerializationFailure:
                # another sender changed a row this batch read (a claim, the
                # rate window) since our transaction began: what it claimed is
                # its own, ours is rolled back (mails the server took are in
                # the journal) and the queue is looked at again at once
                self.env.cr.rollback()
                _logger.info("Mail delivery: another sender is at work, retried")
                wait_until = fields.Datetime.now()
                break
            if wait:
                wait_until = min(wait_until or wait, wait)
            if not mails:
                break
            total += len(mails)
            if in_cron:
                remaining = 0 if wait_until else self._qms_due_count()
                if not self.env["ir.cron"]._commit_progress(
                    len(mails), remaining=remaining
                ):
                    break
        self._qms_schedule_next(wait_until)
        return total

    @api.model
    def _qms_schedule_next(self, wait_until=None):
        """Wake the delivery when the next scheduled mail is due (or when a
        rate-limited server takes mails again)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT min(scheduled_date) FROM mail_mail "
            "WHERE state = 'outgoing' AND scheduled_date > %s",
            [fields.Datetime.now()],
        )
        (next_due,) = self.env.cr.fetchone()
        moments = [m for m in (next_due, wait_until) if m]
        if moments:
            self._qms_delivery_schedule(min(moments))

    @api.model
    def process_email_queue(self, email_ids=(), batch_size=1000):
        """Odoo's queue run claims its mails as the delivery driver does, so
        that the two never send the same mail; the ``filters`` of the context
        and ``email_ids`` still narrow it. What is left is delivered by the
        driver at once instead of an hour later."""
        batch_size = (
            int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("mail.mail.queue.batch.size", batch_size)
            )
            or batch_size
        )
        restrict = None
        if email_ids or "filters" in self.env.context:
            domain = [("state", "=", "outgoing")] + list(
                self.env.context.get("filters") or []
            )
            if email_ids:
                domain.append(("id", "in", list(email_ids)))
            restrict = self.search(domain).ids
        # in batches of the delivery's size, each claimed and committed, up
        # to batch_size mails: another node's run shares the queue meanwhile
        res = None
        left = batch_size
        try:
            while left > 0:
                mails, _wait = self._qms_deliver_batch(
                    min(left, self._qms_delivery_batch_size()),
                    restrict_ids=restrict,
                    retry=False,
                )
                if not mails:
                    break
                left -= len(mails)
            res = True
        except Exception:
            _logger.exception("Failed processing mail queue")
        if restrict is None and self._qms_due_count():
            self._qms_delivery_schedule()
        return res

    # ------------------------------------------------------------------
    # Outages
    # ------------------------------------------------------------------
    @api.model
    def _qms_cron_requeue_smtp_failures(self):
        """Queue again the mails that failed because the mail server could
        not be reached.

        When Odoo cannot connect to the mail server it marks every mail of the
        batch failed ("exception", with the connection error as reason and no
        ``failure_type``; ``mail_smtp`` on the notifications), and never sends
        a failed mail again by itself: after an outage of the mail server,
        customer notices (recall notices, requirement confirmations, complaint
        answers) would wait for someone to press "Retry" on each. Such a mail
        has nothing wrong in it, so it goes back to the queue until it is
        ``qms_crm.mail_retry_days`` days old, the first time at once, then
        after a back-off that doubles with each attempt (1, 2, 4 ... minutes,
        at most an hour); a mail refused for its address is left alone.
        """
        now = fields.Datetime.now()
        failed = self.sudo().search(
            [
                ("state", "=", "exception"),
                ("failure_type", "in", RETRY_FAILURE_TYPES),
                ("create_date", ">=", now - timedelta(days=self._qms_retry_days())),
            ]
        )
        failed = failed.filtered(
            lambda m: (
                not m.qms_retry_count
                or m.write_date <= now - retry_backoff(m.qms_retry_count)
            )
        )
        if failed:
            for attempts in set(failed.mapped("qms_retry_count")):
                failed.filtered(lambda m, a=attempts: m.qms_retry_count == a).write(
                    {"qms_retry_count": attempts + 1}
                )
            failed.mark_outgoing()
            self._qms_delivery_schedule()
        return len(failed)
