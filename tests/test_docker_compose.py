# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The `docker compose up` route of the README: the compose file is valid for
docker-compose 1.29 (and so for compose v2), mounts every addon, sends mail to
the mail catcher, and the README walks through it step by step."""

import configparser
import re
import shutil
import subprocess

import pytest


def test_compose_file_is_valid(repo_root):
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed (make test installs it)")
    subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=repo_root,
        check=True,
    )


def test_every_addon_is_mounted_into_the_odoo_container(repo_root, qms_addons):
    compose = (repo_root / "docker-compose.yml").read_text()
    for addon in qms_addons:
        assert f"./{addon}:/mnt/extra-addons/{addon}:ro" in compose, addon


def test_outgoing_mail_goes_to_the_mail_catcher(repo_root):
    compose = (repo_root / "docker-compose.yml").read_text()
    conf = configparser.ConfigParser()
    conf.read(repo_root / "docker" / "odoo.conf")
    smtp = conf["options"]["smtp_server"]
    assert re.search(rf"^  {re.escape(smtp)}:$", compose, re.M), smtp
    assert '"8025:8025"' in compose and '"8069:8069"' in compose
    assert conf["options"]["addons_path"] == "/mnt/extra-addons"


def test_readme_walks_the_compose_route_step_by_step(repo_root):
    readme = (repo_root / "README.md").read_text()
    section = readme.split("## Docker Compose", 1)[1].split("\n## ", 1)[0]
    for step in (
        "docker compose up",
        "http://localhost:8069",
        "Create Database",
        "Apps",
        "http://localhost:8025",
        "docker compose logs",
        "-u qms_crm,qms_crm_survey,qms_crm_recall",
        "docker compose down",
    ):
        assert step in section, step
