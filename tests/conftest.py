"""Fixtures for the repository-level tests in tests/ (cross-addon and packaging tests).

The addons' own tests live in <addon>/tests/ and are run by pytest-odoo as
odoo.addons.<addon>.tests.<module> (see scripts/test.sh). The CI rule that turns
skipped tests into a failure is in the repository root's conftest.py.
"""

from pathlib import Path

import pytest
from qms_repo import addon_list
from qms_server import OdooEnv

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def qms_addons():
    """Our addons (top-level folders with a __manifest__.py), in dependency order."""
    return addon_list()


@pytest.fixture
def odoo_env(pytestconfig):
    """The Odoo of the run (tests/qms_server.py) for the tests that start their
    own servers on copies of the test database's template."""
    env = OdooEnv(pytestconfig)
    env.require_template()
    return env


@pytest.fixture(scope="session")
def repo_root():
    """The repository root (CI clones it anywhere: never hard-code /work/main)."""
    return REPO_ROOT
