# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer metrics (ISO 9001 9.1.1, 9.1.2, 9.1.3): one engine for the
management review, the monthly dashboard and the quality objectives.

Every metric is a ratio ``numerator / denominator`` (x 100 for percentages)
computed set-based from Odoo's own tables with a fixed number of SQL queries
(six), whatever the number of customers, orders, deliveries, tickets or
answers, for one company, one period and one dimension:

* customer dimensions, read on the commercial partner: customer segment (its
  tags; a customer with two tags counts in both), ABC class, salesperson of
  the customer and the sales team of that salesperson;
* product dimensions: product category and product of the order lines, of the
  delivered moves, of the complaint, of the compensation and (category only)
  the category the survey answer was about. An order with lines in two
  categories counts in both.

Periods are whole days of one stated time zone (``tz``): from the first day
00:00 to the day after the last there (``day_bounds``), like the management
review. The previous period (retention, churn) is the same number of months
before a period of whole months, else the same number of days.
"""

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.qms_crm_evidence.tools.dates import day_bounds

# code: (label, unit, better, numerator, denominator, factor)
METRIC_SPECS = {
    "retention": (
        "Customer retention",
        "pct",
        "higher",
        "retained",
        "prev_customers",
        100,
    ),
    "churn": ("Customer churn", "pct", "lower", "churned", "prev_customers", 100),
    "repeat_purchase": (
        "Repeat-purchase rate",
        "pct",
        "higher",
        "repeaters",
        "customers",
        100,
    ),
    "otif": ("On time in full deliveries", "pct", "higher", "otif", "deliveries", 100),
    "complaint_rate": (
        "Complaints per 100 orders",
        "rate",
        "lower",
        "complaints",
        "orders",
        100,
    ),
    "fcr": ("First-contact resolution", "pct", "higher", "fcr", "closed", 100),
    "ack_hours": ("Mean acknowledgement time", "hours", "lower", "ack_sum", "ack_n", 1),
    "resolution_hours": (
        "Mean resolution time",
        "hours",
        "lower",
        "res_sum",
        "res_n",
        1,
    ),
    "nps": ("Net Promoter Score", "score", "higher", "nps_net", "nps_n", 100),
    "csat": ("Customer satisfaction (CSAT)", "pct", "higher", "sat_n", "csat_n", 100),
    "ces": ("Customer effort score (CES)", "score", "higher", "ces_sum", "ces_n", 1),
    "response_rate": (
        "Survey response rate",
        "pct",
        "higher",
        "responses",
        "invitations",
        100,
    ),
    "recovery_success": (
        "Recovery success",
        "pct",
        "higher",
        "confirmed",
        "answered",
        100,
    ),
    "paradox_nps_recovered": (
        "NPS of recovered complainants",
        "score",
        "higher",
        "rec_nps_net",
        "rec_nps_n",
        100,
    ),
    "paradox_nps_never": (
        "NPS of customers who never complained",
        "score",
        "higher",
        "never_nps_net",
        "never_nps_n",
        100,
    ),
    "paradox_repurchase_recovered": (
        "Repurchase of recovered complainants",
        "pct",
        "higher",
        "rec_rebuy",
        "rec_customers",
        100,
    ),
    "paradox_repurchase_never": (
        "Repurchase of customers who never complained",
        "pct",
        "higher",
        "never_rebuy",
        "never_customers",
        100,
    ),
    "detractor_closed_loop": (
        "Detractors followed up (closed loop)",
        "pct",
        "higher",
        "loop_n",
        "det_n",
        100,
    ),
    "copq_revenue": (
        "Cost of poor quality per revenue",
        "pct",
        "lower",
        "copq",
        "revenue",
        100,
    ),
}


def _metric_labels(env):
    # the labels once more through env._() so that they are exported for
    # translation (the language of env: also outside a request, e.g. a cron)
    return {
        "retention": env._("Customer retention"),
        "churn": env._("Customer churn"),
        "repeat_purchase": env._("Repeat-purchase rate"),
        "otif": env._("On time in full deliveries"),
        "complaint_rate": env._("Complaints per 100 orders"),
        "fcr": env._("First-contact resolution"),
        "ack_hours": env._("Mean acknowledgement time"),
        "resolution_hours": env._("Mean resolution time"),
        "nps": env._("Net Promoter Score"),
        "csat": env._("Customer satisfaction (CSAT)"),
        "ces": env._("Customer effort score (CES)"),
        "response_rate": env._("Survey response rate"),
        "recovery_success": env._("Recovery success"),
        "paradox_nps_recovered": env._("NPS of recovered complainants"),
        "paradox_nps_never": env._("NPS of customers who never complained"),
        "paradox_repurchase_recovered": env._("Repurchase of recovered complainants"),
        "paradox_repurchase_never": env._(
            "Repurchase of customers who never complained"
        ),
        "detractor_closed_loop": env._("Detractors followed up (closed loop)"),
        "copq_revenue": env._("Cost of poor quality per revenue"),
    }


METRICS = [(code, spec[0]) for code, spec in METRIC_SPECS.items()]
DIMENSIONS = [
    ("company", "Whole Company"),
    ("segment", "Customer Segment"),
    ("abc", "ABC Class"),
    ("team", "Sales Team"),
    ("user", "Salesperson"),
    ("categ", "Product Category"),
    ("product", "Product"),
]
CUSTOMER_COLUMNS = {"user": "user_id"}
# sources whose rows carry one product (b.product_id) or a category only
PRODUCT_LINES = {
    "order": ("sale_order_line", "order_id"),
    "picking": ("stock_move", "picking_id"),
}


class QmsMetric(models.AbstractModel):
    _name = "qms.metric"
    _description = "Customer Metrics Engine"

    # ------------------------------------------------------------------
    # Period and time zone
    # ------------------------------------------------------------------
    @api.model
    def _qms_company_tz(self, company=None):
        """The time zone a company counts its days in: its address's, else
        the user's, else UTC."""
        company = company or self.env.company
        name = company.partner_id.tz or self.env.user.tz or "UTC"
        return pytz.timezone(name)

    @api.model
    def _qms_previous_from(self, date_from, date_to):
        """First day of the period before (same months, else same days)."""
        next_day = date_to + relativedelta(days=1)
        if date_from.day == 1 and next_day.day == 1:
            months = (next_day.year - date_from.year) * 12 + (
                next_day.month - date_from.month
            )
            return date_from - relativedelta(months=months)
        return date_from - (next_day - date_from)

    @api.model
    def _qms_params(self, date_from, date_to, tz, company):
        start, end = day_bounds(tz, date_from, date_to)
        prev_start = day_bounds(
            tz, self._qms_previous_from(date_from, date_to), date_from
        )[0]
        since = day_bounds(tz, date_to + relativedelta(days=1, years=-1), date_to)[0]
        return {
            "start": start,
            "end": end,
            "prev_start": prev_start,
            "since": since,
            "company": company.id,
            "tz": tz.zone,
        }

    # ------------------------------------------------------------------
    # Dimensions
    # ------------------------------------------------------------------
    @api.model
    def _qms_keyed(self, base, source, group_by, p):
        """Rows of ``base`` (columns id, cp = commercial partner, and
        product_id or categ_id) with their dimension key ``k``; None when the
        dimension does not apply to the source."""
        if not group_by or group_by == "company":
            return SQL("SELECT b.*, 0 AS k FROM (%s) b", base)
        if group_by == "segment":
            return SQL(
                """SELECT b.*, seg.category_id AS k FROM (%s) b
                     JOIN res_partner_res_partner_category_rel seg
                       ON seg.partner_id = b.cp""",
                base,
            )
        if group_by in CUSTOMER_COLUMNS:
            return SQL(
                "SELECT b.*, d.%s AS k FROM (%s) b JOIN res_partner d ON d.id = b.cp",
                SQL.identifier(CUSTOMER_COLUMNS[group_by]),
                base,
            )
        if group_by == "abc":
            # company-dependent: the class the company gave the customer
            return SQL(
                """SELECT b.*, d.qms_abc_class ->> %s AS k FROM (%s) b
                     JOIN res_partner d ON d.id = b.cp""",
                str(p["company"]),
                base,
            )
        if group_by == "team":
            return SQL(
                """SELECT b.*, du.sale_team_id AS k FROM (%s) b
                     JOIN res_partner d ON d.id = b.cp
                     LEFT JOIN res_users du ON du.id = d.user_id""",
                base,
            )
        if source == "answer":
            if group_by != "categ":
                return None
            return SQL(
                "SELECT b.*, b.categ_id AS k FROM (%s) b WHERE b.categ_id IS NOT NULL",
                base,
            )
        if source in PRODUCT_LINES:
            table, column = PRODUCT_LINES[source]
            lines = SQL(
                "JOIN %s l ON l.%s = b.id AND l.product_id IS NOT NULL",
                SQL.identifier(table),
                SQL.identifier(column),
            )
            product = SQL("l.product_id")
        elif source in ("ticket", "comp"):
            lines = SQL("")
            product = SQL("b.product_id")
        else:
            return None
        if group_by == "product":
            return SQL(
                "SELECT DISTINCT b.*, %s AS k FROM (%s) b %s WHERE %s IS NOT NULL",
                product,
                base,
                lines,
                product,
            )
        return SQL(
            """SELECT DISTINCT b.*, pt.categ_id AS k FROM (%s) b %s
                 JOIN product_product pp ON pp.id = %s
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id""",
            base,
            lines,
            product,
        )

    # ------------------------------------------------------------------
    # The six families of figures
    # ------------------------------------------------------------------
    def _qms_orders_base(self, p, since_key="prev_start"):
        return SQL(
            """SELECT so.id, rp.commercial_partner_id AS cp, so.date_order AS d,
                      so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                          AS amount
                 FROM sale_order so
                 JOIN res_partner rp ON rp.id = so.partner_id
                WHERE so.state = 'sale' AND so.company_id = %s
                  AND so.date_order >= %s AND so.date_order < %s""",
            p["company"],
            p[since_key],
            p["end"],
        )

    def _qms_sql_orders(self, p, group_by):
        keyed = self._qms_keyed(self._qms_orders_base(p), "order", group_by, p)
        return SQL(
            """WITH c AS (
                   SELECT k, cp, count(*) FILTER (WHERE d >= %(start)s) AS n_cur,
                          count(*) FILTER (WHERE d < %(start)s) AS n_prev,
                          sum(amount) FILTER (WHERE d >= %(start)s) AS rev
                     FROM (%(keyed)s) x GROUP BY k, cp)
               SELECT k, count(*) FILTER (WHERE n_prev > 0) AS prev_customers,
                      count(*) FILTER (WHERE n_prev > 0 AND n_cur > 0) AS retained,
                      count(*) FILTER (WHERE n_prev > 0 AND n_cur = 0) AS churned,
                      count(*) FILTER (WHERE n_cur > 0) AS customers,
                      count(*) FILTER (WHERE n_cur >= 2) AS repeaters,
                      COALESCE(sum(n_cur), 0) AS orders,
                      COALESCE(sum(rev), 0) AS revenue
                 FROM c GROUP BY k""",
            start=p["start"],
            keyed=keyed,
        )

    def _qms_sql_pickings(self, p, group_by):
        base = SQL(
            """SELECT sp.id, rp.commercial_partner_id AS cp,
                      (timezone(%(tz)s, timezone('UTC', sp.date_done)))::date
                        <= (timezone(%(tz)s, timezone('UTC',
                              COALESCE(sp.date_deadline, sp.scheduled_date))))::date
                      AND NOT EXISTS (SELECT 1 FROM stock_picking bo
                                       WHERE bo.backorder_id = sp.id)
                      AND NOT EXISTS (SELECT 1 FROM stock_move m
                                       WHERE m.picking_id = sp.id
                                         AND (m.state = 'cancel'
                                              OR m.quantity < m.product_uom_qty))
                          AS otif
                 FROM stock_picking sp
                 JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                 JOIN res_partner rp ON rp.id = sp.partner_id
                WHERE spt.code = 'outgoing' AND sp.state = 'done'
                  AND sp.sale_id IS NOT NULL AND sp.return_id IS NULL
                  AND sp.company_id = %(company)s
                  AND sp.date_done >= %(start)s AND sp.date_done < %(end)s""",
            tz=p["tz"],
            company=p["company"],
            start=p["start"],
            end=p["end"],
        )
        keyed = self._qms_keyed(base, "picking", group_by, p)
        return SQL(
            """SELECT k, count(*) AS deliveries,
                      count(*) FILTER (WHERE otif) AS otif
                 FROM (%s) x GROUP BY k""",
            keyed,
        )

    def _qms_sql_tickets(self, p, group_by):
        base = SQL(
            """SELECT t.id, t.commercial_partner_id AS cp,
                      t.qms_product_id AS product_id,
                      COALESCE(t.qms_received_date, t.create_date) >= %(start)s
                        AND COALESCE(t.qms_received_date, t.create_date) < %(end)s
                          AS rec,
                      t.closed_date >= %(start)s AND t.closed_date < %(end)s AS clo,
                      (t.qms_confirmation_date >= %(start)s
                        AND t.qms_confirmation_date < %(end)s
                        AND t.qms_confirmation_state IN ('confirmed', 'rejected'))
                      OR (t.qms_rejected_date >= %(start)s
                          AND t.qms_rejected_date < %(end)s) AS ans,
                      t.qms_confirmation_state = 'confirmed' AS confirmed,
                      COALESCE(t.qms_reopen_count, 0) = 0
                        AND COALESCE(t.qms_paused_hours, 0) = 0 AS first_contact,
                      t.qms_acknowledged_date IS NOT NULL AS acked,
                      t.closed_date IS NOT NULL AS closed,
                      t.qms_ack_hours AS ack_hours,
                      t.qms_resolution_hours AS res_hours
                 FROM helpdesk_ticket t
                WHERE t.qms_is_complaint AND t.company_id = %(company)s
                  AND ((COALESCE(t.qms_received_date, t.create_date) >= %(start)s
                        AND COALESCE(t.qms_received_date, t.create_date) < %(end)s)
                       OR (t.closed_date >= %(start)s AND t.closed_date < %(end)s)
                       OR (t.qms_confirmation_date >= %(start)s
                           AND t.qms_confirmation_date < %(end)s)
                       OR (t.qms_rejected_date >= %(start)s
                           AND t.qms_rejected_date < %(end)s))""",
            company=p["company"],
            start=p["start"],
            end=p["end"],
        )
        keyed = self._qms_keyed(base, "ticket", group_by, p)
        return SQL(
            """SELECT k, count(*) FILTER (WHERE rec) AS complaints,
                      count(*) FILTER (WHERE clo) AS closed,
                      count(*) FILTER (WHERE clo AND first_contact) AS fcr,
                      COALESCE(sum(ack_hours) FILTER (WHERE rec AND acked), 0)
                          AS ack_sum,
                      count(*) FILTER (WHERE rec AND acked) AS ack_n,
                      COALESCE(sum(res_hours) FILTER (WHERE rec AND closed), 0)
                          AS res_sum,
                      count(*) FILTER (WHERE rec AND closed) AS res_n,
                      count(*) FILTER (WHERE ans) AS answered,
                      count(*) FILTER (WHERE ans AND confirmed) AS confirmed
                 FROM (%s) x GROUP BY k""",
            keyed,
        )

    def _qms_answers_base(self, p, done_only=False):
        return SQL(
            """SELECT ui.id, ui.qms_customer_id AS cp,
                      ui.qms_product_categ_id AS categ_id,
                      COALESCE(ui.end_datetime, ui.create_date) AS d,
                      ui.state = 'done' AS done,
                      ui.qms_nps_category AS nps_cat,
                      ui.qms_csat_score AS csat, ui.qms_csat_satisfied AS sat,
                      ui.qms_ces_score AS ces, ui.qms_is_detractor AS det,
                      ui.qms_closed_loop AS loop
                 FROM survey_user_input ui
                 JOIN survey_survey s ON s.id = ui.survey_id
                WHERE (s.qms_survey_kind IS NOT NULL OR ui.qms_has_score)
                  AND NOT COALESCE(ui.test_entry, FALSE) %s
                  AND COALESCE(ui.end_datetime, ui.create_date) >= %s
                  AND COALESCE(ui.end_datetime, ui.create_date) < %s""",
            SQL("AND ui.state = 'done' AND ui.qms_nps_category IS NOT NULL")
            if done_only
            else SQL(""),
            p["start"],
            p["end"],
        )

    def _qms_sql_answers(self, p, group_by):
        keyed = self._qms_keyed(self._qms_answers_base(p), "answer", group_by, p)
        if keyed is None:
            return None
        return SQL(
            """SELECT k, count(*) AS invitations,
                      count(*) FILTER (WHERE done) AS responses,
                      count(*) FILTER (WHERE done AND nps_cat IS NOT NULL) AS nps_n,
                      count(*) FILTER (WHERE done AND nps_cat = 'promoter')
                        - count(*) FILTER (WHERE done AND nps_cat = 'detractor')
                          AS nps_net,
                      count(*) FILTER (WHERE done AND csat > 0) AS csat_n,
                      count(*) FILTER (WHERE done AND csat > 0 AND sat) AS sat_n,
                      COALESCE(sum(ces) FILTER (WHERE done AND ces > 0), 0) AS ces_sum,
                      count(*) FILTER (WHERE done AND ces > 0) AS ces_n,
                      count(*) FILTER (WHERE done AND det) AS det_n,
                      count(*) FILTER (WHERE done AND det AND loop) AS loop_n
                 FROM (%s) x GROUP BY k""",
            keyed,
        )

    def _qms_sql_paradox(self, p, group_by):
        """Recovery paradox: customers whose complaint was resolved (and not
        rejected) in the 12 months up to the end of the period, against the
        customers who bought in these 12 months and never complained before
        the end; their NPS in the period (after the resolution) and whether
        they bought again in the period (after the resolution)."""
        if group_by in ("categ", "product"):
            return None
        groups = SQL(
            """SELECT cp AS id, cp, grp, resolved FROM (
                 SELECT t.commercial_partner_id AS cp, 'rec' AS grp,
                        min(t.qms_resolved_date) AS resolved
                   FROM helpdesk_ticket t
                  WHERE t.qms_is_complaint AND t.company_id = %(company)s
                    AND t.qms_resolved_date >= %(since)s
                    AND t.qms_resolved_date < %(end)s
                    AND t.qms_confirmation_state <> 'rejected'
                    AND t.commercial_partner_id IS NOT NULL
                  GROUP BY t.commercial_partner_id
                 UNION ALL
                 SELECT DISTINCT rp.commercial_partner_id, 'never', NULL::timestamp
                   FROM sale_order so
                   JOIN res_partner rp ON rp.id = so.partner_id
                  WHERE so.state = 'sale' AND so.company_id = %(company)s
                    AND so.date_order >= %(since)s AND so.date_order < %(end)s
                    AND NOT EXISTS (
                        SELECT 1 FROM helpdesk_ticket c
                         WHERE c.qms_is_complaint
                           AND c.commercial_partner_id = rp.commercial_partner_id
                           AND COALESCE(c.qms_received_date, c.create_date) < %(end)s)
               ) g""",
            company=p["company"],
            since=p["since"],
            end=p["end"],
        )
        keyed = self._qms_keyed(groups, "customer", group_by, p)
        return SQL(
            """WITH g AS (%(keyed)s),
               cur AS (%(orders)s),
               ans AS (%(answers)s),
               cnt AS (
                   SELECT g.k, g.grp, count(*) AS customers,
                          count(*) FILTER (WHERE EXISTS (
                              SELECT 1 FROM cur WHERE cur.cp = g.cp
                                 AND (g.resolved IS NULL OR cur.d > g.resolved)))
                              AS rebuy
                     FROM g GROUP BY g.k, g.grp),
               nps AS (
                   SELECT g.k, g.grp, count(*) AS n,
                          count(*) FILTER (WHERE ans.nps_cat = 'promoter')
                          - count(*) FILTER (WHERE ans.nps_cat = 'detractor') AS net
                     FROM g JOIN ans ON ans.cp = g.cp
                      AND (g.resolved IS NULL OR ans.d > g.resolved)
                    GROUP BY g.k, g.grp)
               SELECT cnt.k,
                      sum(cnt.customers) FILTER (WHERE cnt.grp = 'rec')
                          AS rec_customers,
                      sum(cnt.rebuy) FILTER (WHERE cnt.grp = 'rec') AS rec_rebuy,
                      sum(nps.n) FILTER (WHERE cnt.grp = 'rec') AS rec_nps_n,
                      sum(nps.net) FILTER (WHERE cnt.grp = 'rec') AS rec_nps_net,
                      sum(cnt.customers) FILTER (WHERE cnt.grp = 'never')
                          AS never_customers,
                      sum(cnt.rebuy) FILTER (WHERE cnt.grp = 'never') AS never_rebuy,
                      sum(nps.n) FILTER (WHERE cnt.grp = 'never') AS never_nps_n,
                      sum(nps.net) FILTER (WHERE cnt.grp = 'never') AS never_nps_net
                 FROM cnt LEFT JOIN nps
                   ON nps.k IS NOT DISTINCT FROM cnt.k AND nps.grp = cnt.grp
                GROUP BY cnt.k""",
            keyed=keyed,
            orders=self._qms_orders_base(p, since_key="start"),
            answers=self._qms_answers_base(p, done_only=True),
        )

    def _qms_sql_cost(self, p, group_by):
        base = SQL(
            """SELECT c.id, rp.commercial_partner_id AS cp, c.product_id,
                      c.amount_company
                 FROM qms_compensation_line c
                 LEFT JOIN res_partner rp ON rp.id = c.partner_id
                WHERE c.active AND c.company_id = %s
                  AND c.date >= %s AND c.date < %s""",
            p["company"],
            p["start"],
            p["end"],
        )
        keyed = self._qms_keyed(base, "comp", group_by, p)
        return SQL(
            "SELECT k, COALESCE(sum(amount_company), 0) AS copq FROM (%s) x GROUP BY k",
            keyed,
        )

    # ------------------------------------------------------------------
    # API
    # ------------------------------------------------------------------
    @api.model
    def _qms_raw(self, date_from, date_to, tz=None, company=None, group_by=None):
        """{key: {name: number}} of the raw counts and sums of the period;
        key 0 for the whole company, else the id (the ABC letter) of the
        dimension's value (None: not set)."""
        company = company or self.env.company
        tz = tz or self._qms_company_tz(company)
        self.env.flush_all()
        p = self._qms_params(date_from, date_to, tz, company)
        raw = {}
        for builder in (
            self._qms_sql_orders,
            self._qms_sql_pickings,
            self._qms_sql_tickets,
            self._qms_sql_answers,
            self._qms_sql_paradox,
            self._qms_sql_cost,
        ):
            query = builder(p, group_by)
            if query is None:
                continue
            self.env.cr.execute(query)
            names = [col.name for col in self.env.cr.description[1:]]
            for row in self.env.cr.fetchall():
                values = raw.setdefault(row[0], {})
                for name, value in zip(names, row[1:], strict=True):
                    values[name] = float(value or 0)
        return raw

    @api.model
    def _qms_values(self, raw, metrics=None):
        """{key: {code: (value or None, numerator, denominator)}}."""
        result = {}
        for key, numbers in raw.items():
            values = result.setdefault(key, {})
            for code in metrics or METRIC_SPECS:
                _label, _unit, _better, num, den, factor = METRIC_SPECS[code]
                numerator = numbers.get(num, 0.0)
                denominator = numbers.get(den, 0.0)
                value = (
                    round(factor * numerator / denominator, 4) if denominator else None
                )
                values[code] = (value, numerator, denominator)
        return result

    @api.model
    def _qms_compute(
        self, date_from, date_to, tz=None, company=None, group_by=None, metrics=None
    ):
        """{key: {code: value or None}}: every metric (or ``metrics``) of the
        period for the company (key 0) or per value of ``group_by``. None:
        nothing to measure (no denominator)."""
        values = self._qms_values(
            self._qms_raw(date_from, date_to, tz, company, group_by), metrics
        )
        return {
            key: {code: triple[0] for code, triple in codes.items()}
            for key, codes in values.items()
        }

    @api.model
    def _qms_metric_label(self, code):
        return _metric_labels(self.env).get(code, code)
