# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    qms_process_template_id = fields.Many2one(
        "qms.process.template",
        string="Process Template",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Set by 'Apply Process Template'.",
    )
    qms_process_template_to_apply_id = fields.Many2one(
        "qms.process.template",
        string="Template to Apply",
        copy=False,
    )
    qms_process_role_ids = fields.One2many(
        "qms.process.team.role", "team_id", string="Process Roles"
    )
    qms_process_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Task deadlines in working minutes and hours are counted in this "
        "calendar, in its time zone (the company's calendar when empty).",
    )
    qms_process_manager_id = fields.Many2one(
        "res.users",
        string="Escalation Manager",
        domain=[("share", "=", False)],
        help="Told last when a process task stays overdue (after its assignee and "
        "the team leader).",
    )
    qms_process_automation_id = fields.Many2one(
        "base.automation",
        string="Process Automation",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    def _qms_process_calendar(self):
        self.ensure_one()
        return (
            self.qms_process_calendar_id
            or self.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )

    def _qms_role_user(self, role):
        """The user holding ``role`` in the team (empty when unmapped)."""
        self.ensure_one()
        return self.qms_process_role_ids.filtered(lambda r: r.role_id == role)[
            :1
        ].user_id

    # ------------------------------------------------------------------
    # Apply / remove a template
    # ------------------------------------------------------------------
    def action_qms_apply_process(self):
        for team in self:
            template = team.qms_process_template_to_apply_id or (
                team.qms_process_template_id
            )
            if not template:
                raise UserError(
                    _("Choose the process template to apply to %s.", team.name)
                )
            team._qms_apply_process(template)
        return True

    def _qms_apply_process(self, template):
        """Create or update the team's stages, switch on the template's
        communication rules and create or update the team's automation rule.
        Stages of a previous template stay (leads and their history keep
        them)."""
        self.ensure_one()
        Stage = self.env["crm.stage"].sudo()
        existing = Stage.with_context(active_test=False).search(
            [
                ("qms_process_stage_id", "in", template.stage_ids.ids),
                ("team_ids", "in", self.ids),
            ]
        )
        by_template_stage = {s.qms_process_stage_id: s for s in existing}
        for tstage in template.stage_ids:
            vals = {
                "name": tstage.name,
                "sequence": tstage.sequence,
                "is_won": tstage.is_won,
                "fold": tstage.fold,
                "requirements": tstage.requirements,
            }
            stage = by_template_stage.get(tstage)
            if stage:
                stage.write(vals)
            else:
                Stage.create(
                    dict(
                        vals,
                        qms_process_stage_id=tstage.id,
                        team_ids=[Command.set(self.ids)],
                    )
                )
        rules = template.stage_ids.rule_ids.sudo().with_context(active_test=False)
        rules.filtered(lambda r: not r.active).write({"active": True})
        self._qms_sync_process_automation(active=True)
        self.sudo().write(
            {
                "qms_process_template_id": template.id,
                "qms_process_template_to_apply_id": False,
            }
        )
        self.message_post(
            body=_("Process template %s applied.", template.name),
            subtype_xmlid="mail.mt_note",
        )

    def action_qms_remove_process(self):
        """Detach the template: the automation is archived, gates and tasks
        stop; stages, leads, activities and communications stay as they are."""
        for team in self:
            template = team.qms_process_template_id
            if not template:
                continue
            team._qms_sync_process_automation(active=False)
            # rules of the template no other team's template still uses
            others = self.sudo().search(
                [
                    ("id", "!=", team.id),
                    ("qms_process_template_id", "!=", False),
                ]
            )
            used_elsewhere = others.qms_process_template_id.stage_ids.rule_ids
            rules = template.stage_ids.rule_ids.sudo()
            (rules - used_elsewhere).write({"active": False})
            team.sudo().qms_process_template_id = False
            team.message_post(
                body=_(
                    "Process template %s removed; stages, leads and their history "
                    "are kept.",
                    template.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _qms_sync_process_automation(self, active=True):
        self.ensure_one()
        Automation = self.env["base.automation"].sudo()
        automation = self.qms_process_automation_id.sudo()
        if not active:
            if automation.active:
                automation.active = False
            return automation
        stage_field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        vals = {
            "name": _("Process template: %s", self.name),
            "model_id": self.env["ir.model"]._get_id("crm.lead"),
            "trigger": "on_create_or_write",
            "trigger_field_ids": [Command.set(stage_field.ids)],
            "filter_domain": repr([("team_id", "=", self.id)]),
            "active": True,
            "description": _(
                "Managed by the process template of the sales team %s (Quality "
                "CRM): creates the tasks of the stage a lead enters.",
                self.name,
            ),
        }
        if automation:
            automation.write(vals)
        else:
            vals["action_server_ids"] = [
                Command.create(
                    {
                        "name": _("Create the tasks of the stage"),
                        "model_id": vals["model_id"],
                        "state": "code",
                        "usage": "base_automation",
                        "code": "records._qms_process_enter_stage()",
                    }
                )
            ]
            automation = Automation.create(vals)
            self.sudo().qms_process_automation_id = automation
        return automation

    # ------------------------------------------------------------------
    # Demo data: a window-installation company
    # ------------------------------------------------------------------
    @api.model
    def _qms_process_demo(self):
        """The 'Windows & Installation' team (xml id
        ``qms_crm_process.qms_process_demo_team``) on the make-and-install
        template, its measurer and installer, a dozen deals in every stage and
        one overdue call-back."""
        template = self.env.ref("qms_crm_process.qms_process_template_make_install")
        Users = self.env["res.users"].with_context(no_reset_password=True)
        group = self.env.ref("sales_team.group_sale_salesman")
        users = {}
        for login, name in (
            ("measurer", "Mark Measurer"),
            ("installer", "Ivan Installer"),
        ):
            user = Users.search([("login", "=", f"qms_demo_{login}")])
            if not user:
                user = Users.create(
                    {
                        "name": name,
                        "login": f"qms_demo_{login}",
                        "email": f"{login}@windows.example.com",
                        "group_ids": [Command.link(group.id)],
                    }
                )
            users[login] = user
        admin = self.env.ref("base.user_admin")
        team = self.create(
            {
                "name": "Windows & Installation",
                "user_id": admin.id,
                "qms_process_manager_id": admin.id,
            }
        )
        # other addons' demo finds the team by this xml id (noupdate: kept by
        # module updates, which do not run this function again)
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "qms_crm_process.qms_process_demo_team",
                    "record": team,
                    "noupdate": True,
                }
            ]
        )
        roles = {
            "manager": admin,
            "measurer": users["measurer"],
            "estimator": admin,
            "installer": users["installer"],
            "service": users["installer"],
        }
        team.qms_process_role_ids = [
            Command.create(
                {
                    "role_id": self.env.ref(f"qms_crm_process.qms_process_role_{k}").id,
                    "user_id": user.id,
                }
            )
            for k, user in roles.items()
        ]
        team._qms_apply_process(template)
        stages = self.env["crm.stage"].search(
            [("team_ids", "in", team.ids)], order="sequence"
        )
        streets = ["Oak", "Elm", "Birch", "Maple", "Pine", "Cedar"]
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Window customer {i + 1:02d}",
                    "street": f"{i + 1} {streets[i % len(streets)]} Street",
                    "city": "Springfield",
                    "email": f"window.customer{i + 1}@example.com",
                }
                for i in range(12 * len(stages))
            ]
        )
        vals = []
        for s, stage in enumerate(stages):
            for i in range(12):
                partner = partners[s * 12 + i]
                vals.append(
                    {
                        "name": f"Windows for {partner.name}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "user_id": admin.id,
                        "stage_id": stage.id,
                        "expected_revenue": 1200 + 150 * i,
                    }
                )
        leads = self.env["crm.lead"].create(vals)
        # the team's automation is active from the next registry load: make
        # the tasks of the demo deals now (the method skips existing ones)
        leads._qms_process_enter_stage()
        overdue = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                (
                    "qms_process_task_id",
                    "=",
                    self.env.ref("qms_crm_process.qms_process_task_call_back").id,
                ),
            ],
            limit=1,
        )
        if overdue:
            past = fields.Datetime.now() - timedelta(hours=1)
            overdue.write({"qms_deadline_at": past, "date_deadline": past.date()})
        return team
