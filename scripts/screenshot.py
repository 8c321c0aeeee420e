"""Screenshot pages as a given user, the way they will see them (dev tool).

    .venv/bin/python scripts/screenshot.py --user politiker /sager/2009-68440/ ...

Needs a running server (make run) and Debian's Chromium (apt-get install chromium).
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

parser = argparse.ArgumentParser()
parser.add_argument("paths", nargs="+")
parser.add_argument("--user", default="politiker")
parser.add_argument("--password", default="helhedsplan-demo")
parser.add_argument("--base", default="http://127.0.0.1:8000")
parser.add_argument("--out", default="build/screens")
parser.add_argument("--width", type=int, default=1280)
parser.add_argument("--full", action="store_true", help="full-page screenshot")
args = parser.parse_args()

out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    page = browser.new_page(viewport={"width": args.width, "height": 900})
    if args.user != "anonymous":
        page.goto(f"{args.base}/log-ind/")
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.click("button[type=submit].primary")
    for path in args.paths:
        page.goto(args.base + path)
        name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
        target = out / f"{args.user}-{name}.png"
        page.screenshot(path=str(target), full_page=args.full)
        print(target)
    browser.close()
