"""Each addon builds as an OCA-style wheel (whool), the way it would be published.

whool takes the version from the manifest (plus a git post-version when the addon has
changes since its last version bump) and the file list from `git ls-files`: only files
git knows about go into the wheel. In a repository with no commit yet, git log fails,
so the build then runs as if outside git (every file of the folder is packaged).
"""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from qms_repo import addon_list

# pip wheel of every addon: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(30)

REPO_ROOT = Path(__file__).resolve().parent.parent
QMS_ADDONS = addon_list()


def _repo_has_commit():
    proc = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
    )
    return proc.returncode == 0


@pytest.mark.parametrize("addon", QMS_ADDONS)
def test_addon_builds_as_wheel(addon, tmp_path):
    env = dict(os.environ)
    if not _repo_has_commit():
        env["GIT_CEILING_DIRECTORIES"] = str(REPO_ROOT)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(tmp_path),
            str(REPO_ROOT / addon),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, f"building the wheel of {addon} failed:\n{output}"
    wheels = sorted(tmp_path.glob("*.whl"))
    assert [w.name for w in wheels] and len(wheels) == 1, wheels
    wheel = wheels[0]
    assert re.fullmatch(
        rf"odoo_addon_{addon}-19\.0(\.[0-9]+)+-py3-none-any\.whl", wheel.name
    ), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert f"odoo/addons/{addon}/__manifest__.py" in names, sorted(names)
    assert f"odoo/addons/{addon}/__init__.py" in names, sorted(names)
    assert f"odoo/addons/{addon}/pyproject.toml" not in names
