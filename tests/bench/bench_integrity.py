#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Evidence integrity check benchmark (issue 17, ISO 9001 7.5.3).

In the database with our addons (QMS_BENCH_DB_FULL), generate with SQL
QMS_BENCH_FROZEN (default 100 000) frozen (done) customer communications,
seal them (untimed, the path of an upgrade: batched, content hashes in
PostgreSQL) and time the Evidence Integrity Check
(``qms.evidence.seal._qms_check_integrity``: every chain hash and the content
hash of every sealed record recomputed) against the best honest alternative
in Python: fetching the same sealed columns of the same rows and one
``hashlib.sha256`` per row.

Before timing, the results are asserted: the check finds every chain intact
and covers as many records as the Python side hashes; after a direct SQL
edit of one frozen row, the check names exactly that row.

Output (see tests/bench/README.md)::

    integrity_check_vs_python_sha256: ratio=<x.xx> (goal <= 2.00)

plus ``info`` lines with the medians and the sealing time. The goal is
asserted, as the issue asks (exit 1 when missed). Everything runs in one
transaction that is rolled back.
Environment: QMS_ODOO_CONF, QMS_BENCH_DB_FULL (set by scripts/bench.sh);
QMS_BENCH_FROZEN, QMS_BENCH_ROUNDS (default 5).
"""

import hashlib
import sys
import time

import benchlib

GOAL = 2.0
MODEL = "qms.communication"

COMMUNICATIONS = """
INSERT INTO qms_communication (
    name, body, partner_id, topic_id, channel, direction, state, date,
    done_date, company_id, user_id, active, create_uid, write_uid,
    create_date, write_date)
SELECT 'Bench call ' || g, '<p>Agreed delivery slot ' || g || '</p>',
       %(partner)s, %(topic)s, 'phone', 'outgoing', 'done',
       now() - (g %% 730) * interval '1 day', now() - (g %% 730) * interval '1 day',
       %(company)s, 2, TRUE, 2, 2,
       now() - (g %% 730) * interval '1 day', now() - (g %% 730) * interval '1 day'
  FROM generate_series(1, %(n)s) g
RETURNING id
"""


def _generate(env, n):
    cr = env.cr
    partner = env["res.partner"].create({"name": "Bench integrity customer"})
    topic = env["qms.communication.topic"].search([], limit=1)
    if not topic:
        sys.exit("error: no communication topic: install qms_crm_communication")
    cr.execute(
        COMMUNICATIONS,
        {"partner": partner.id, "topic": topic.id, "company": env.company.id, "n": n},
    )
    return [row[0] for row in cr.fetchall()]


def _python_sha256(cr, columns, ids):
    """The alternative: the same columns of the same rows, hashed in Python."""
    from odoo.tools import SQL  # noqa: PLC0415

    cr.execute(
        SQL(
            "SELECT %s FROM qms_communication WHERE id = ANY(%s) ORDER BY id",
            SQL(", ").join(SQL.identifier(col) for col in columns),
            ids,
        )
    )
    return [hashlib.sha256(repr(row).encode()).hexdigest() for row in cr.fetchall()]


def main():
    n = benchlib.env_int("QMS_BENCH_FROZEN", 100000)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 5)
    conf, db = benchlib.require_env(benchlib.CONF, benchlib.DB_FULL)
    benchlib.setup_odoo(conf)
    from odoo import api  # noqa: PLC0415

    registry = benchlib.open_registry(db)
    if "qms.evidence.seal" not in registry or MODEL not in registry:
        sys.exit(f"error: qms.evidence.seal or {MODEL} is not in {db}")
    failed = False
    with registry.cursor() as cr:
        try:
            root = api.Environment(cr, api.SUPERUSER_ID, {})
            Seal = root["qms.evidence.seal"]
            ids = _generate(root, n)
            began = time.perf_counter()
            Seal._qms_seal_existing(MODEL)
            t_seal = time.perf_counter() - began
            cr.execute(
                "SELECT count(*), min(hash_fields) FROM qms_evidence_seal "
                "WHERE res_model = %s AND res_id = ANY(%s)",
                [MODEL, ids],
            )
            sealed, hash_fields = cr.fetchone()
            columns = hash_fields.split(",")
            env = benchlib.admin_env(cr)
            companies = env.companies.ids
            chains = Seal._qms_check_integrity(companies)
            broken = [c for c in chains if c["breaks"]]
            covered = sum(c["count"] for c in chains if c["res_model"] == MODEL)
            hashed = len(_python_sha256(cr, columns, ids))
            if sealed != n or hashed != n or covered < n or broken:
                benchlib.out(
                    f"error: sealed={sealed} hashed={hashed} covered={covered} "
                    f"broken={broken} (expected {n} intact)"
                )
                failed = True
            medians, _results = benchlib.median_rounds(
                {
                    "ours": lambda: Seal._qms_check_integrity(companies),
                    "python": lambda: _python_sha256(cr, columns, ids),
                },
                rounds,
            )
            # a direct SQL edit of one frozen row: the check names that row
            victim = ids[n // 2]
            cr.execute(
                "UPDATE qms_communication SET body = '<p>edited</p>' WHERE id = %s",
                [victim],
            )
            chains = Seal._qms_check_integrity(companies)
            breaks = [b for c in chains if c["res_model"] == MODEL for b in c["breaks"]]
            named = Seal.browse([b[0] for b in breaks]).mapped("res_id")
            if named != [victim] or breaks[0][1] != "content":
                benchlib.out(f"error: the edit of {victim} was reported as {breaks}")
                failed = True
            missed = []
            m_ours, m_py = medians["ours"], medians["python"]
            ratio = benchlib.ratio(m_ours, m_py)
            benchlib.report("integrity_check_vs_python_sha256", ratio, GOAL, missed)
            benchlib.out(
                f"info integrity_check: ours={m_ours:.3f}s python_sha256={m_py:.3f}s "
                f"(median of {rounds} rounds, {n} frozen records, "
                f"{len(columns)} sealed columns); sealing them took {t_seal:.2f}s"
            )
            if missed:
                benchlib.out(f"error: goal missed by {', '.join(missed)}")
                failed = True
            code = benchlib.finish(missed)
        finally:
            cr.rollback()
    return 1 if failed else code


if __name__ == "__main__":
    sys.exit(main())
