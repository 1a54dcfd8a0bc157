"""The Jupyter server side of the bundled lab behind `npm start`.

A LabServerApp (Debian's jupyterlab_server on jupyter-server 1.23) that serves the front end
built by app/build.mjs from app/build/. Run it with /usr/bin/python3: the Debian packages are
invisible to other Pythons on PATH.

    /usr/bin/python3 extension/app/dendrite_lab.py --ServerApp.root_dir=notebooks ...

State (settings, workspaces) lives in DENDRITE_LAB_STATE (default: app/build/state), never in
the user's ~/.jupyter, so the lab is reproducible and does not disturb a JupyterLab install.
"""

import json
import os

from jupyter_server.base.handlers import APIHandler
from jupyterlab_server import LabServerApp
from tornado import web, websocket

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
STATE = os.environ.get("DENDRITE_LAB_STATE", os.path.join(BUILD, "state"))

with open(os.path.join(HERE, "..", "package.json"), encoding="utf-8") as f:
    VERSION = json.load(f)["version"]


class MeHandler(APIHandler):
    """jupyter-server 1.23 has no /api/me; JupyterLab 4 asks for it at start-up."""

    @web.authenticated
    def get(self):
        user = {"username": "dendrite", "name": "Dendrite", "display_name": "Dendrite",
                "initials": "D", "avatar_url": None, "color": None}
        self.finish(json.dumps({"identity": user, "permissions": {}}))


class EventsHandler(websocket.WebSocketHandler):
    """jupyter-server 1.23 has no event bus; an idle socket stops the front end's retries."""

    def on_message(self, message):
        pass


class DendriteLab(LabServerApp):
    name = "dendrite_lab"
    app_name = "Dendrite Lab"
    app_version = VERSION
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(BUILD, "application_settings")
    user_settings_dir = os.path.join(STATE, "user_settings")
    workspaces_dir = os.path.join(STATE, "workspaces")
    # Prebuilt labextensions come only from the folder start.mjs prepares (with Dendrite's own),
    # never from a system JupyterLab: the lab must not depend on what else is installed.
    labextensions_path = [p for p in [os.environ.get("DENDRITE_LAB_EXTENSIONS")] if p]

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.append(("/api/me", MeHandler))
        self.handlers.append(("/api/events/subscribe", EventsHandler))


def _jupyter_server_extension_points():
    # Without this the server's extension manager fails with "'NoneType' object is not callable".
    return [{"module": __name__, "app": DendriteLab}]


if __name__ == "__main__":
    DendriteLab.launch_instance()
