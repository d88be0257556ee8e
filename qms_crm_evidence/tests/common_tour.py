# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of Quality CRM, with optional screenshots for the README.

Set ``QMS_SCREENSHOTS=<dir>`` to save a PNG (resized, palette) of each
``qmsScreenshot(name)`` step of the tours into that directory; normal test
runs take none."""

import base64
import io
import logging
import os
import pathlib
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser

_logger = logging.getLogger(__name__)

SCREENSHOT_PREFIX = "qms-screenshot:"
SCREENSHOT_WIDTH = 1100


def _save_png(directory, name, data):
    from PIL import Image  # noqa: PLC0415 (only when screenshots are asked for)

    image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    if image.width > SCREENSHOT_WIDTH:
        height = round(image.height * SCREENSHOT_WIDTH / image.width)
        image = image.resize((SCREENSHOT_WIDTH, height), Image.LANCZOS)
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    path = pathlib.Path(directory, f"{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    _logger.info("screenshot %s (%d bytes)", path, path.stat().st_size)


class QmsTourCase(HttpCase):
    """HttpCase whose tours may take README screenshots."""

    browser_size = "1280x800"

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        directory = os.environ.get("QMS_SCREENSHOTS")
        if not directory:
            return super().start_tour(url_path, tour_name, step_delay, **kwargs)
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, **kw):  # pylint: disable=redefined-builtin
            first = browser._from_remoteobject(args[0]) if args else None
            if isinstance(first, str) and first.startswith(SCREENSHOT_PREFIX):
                name = first[len(SCREENSHOT_PREFIX) :]
                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )
                future.add_done_callback(
                    lambda f: _save_png(directory, name, f.result()["data"])
                )
            return original(browser, type, args=args, **kw)

        cookies = dict(kwargs.pop("cookies", None) or {}, qms_screenshots="1")
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            return super().start_tour(
                url_path, tour_name, step_delay, cookies=cookies, **kwargs
            )
