# JupyterHub for the course on one machine: real accounts (PAM: the machine's users and passwords),
# one OS user and one JupyterLab per student, the course's pinned environment for every student.
# The hub test (tests/test_hub.py) runs exactly this file; docs/hub.md shows and explains it.
#
#   sudo CNNLIB_HUB_VENV=/opt/cnn-course/.venv /opt/cnn-course/.venv/bin/jupyterhub -f deploy/jupyterhub_config.py
#
# Settings come from environment variables (defaults in brackets):
#   CNNLIB_HUB_VENV      the course's venv with requirements.txt + requirements-hub.txt [/opt/cnn-course/.venv]
#   CNNLIB_HUB_IP        address students connect to [127.0.0.1; put a TLS proxy (e.g. nginx) in front]
#   CNNLIB_HUB_PORT      its port [8000]        CNNLIB_HUB_API_PORT  the hub's internal port [8081]
#   CNNLIB_HUB_STATE     folder for the database, cookie secret and proxy pid file [/srv/jupyterhub]
#   CNNLIB_HUB_GROUP     the Unix group whose members may log in [students]
#   CNNLIB_HUB_CULL_S    stop a student's server after this many idle seconds; 0 = never [3600]
#   CNNLIB_HUB_EXTRA_ARGS  extra options for every student's JupyterLab, space-separated [none]
import os
import shlex
import sys

c = get_config()  # noqa: F821  (JupyterHub defines get_config when it loads this file)
venv = os.environ.get("CNNLIB_HUB_VENV", "/opt/cnn-course/.venv")
state = os.environ.get("CNNLIB_HUB_STATE", "/srv/jupyterhub")

# Network: the public port on CNNLIB_HUB_IP, the hub's own API on loopback only.
c.JupyterHub.ip = os.environ.get("CNNLIB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("CNNLIB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("CNNLIB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('CNNLIB_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "jupyterhub-proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")

# Accounts: PAM checks the machine's own users and passwords; only members of one group get in.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.LocalAuthenticator.allowed_groups = {os.environ.get("CNNLIB_HUB_GROUP", "students")}

# Servers: each student's JupyterLab runs as that student (LocalProcessSpawner), in their home,
# from the course's venv, so kernels import cnnlib with the pinned numpy/matplotlib/ipywidgets.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(venv, "bin", "jupyterhub-singleuser")]
c.Spawner.args = shlex.split(os.environ.get("CNNLIB_HUB_EXTRA_ARGS", ""))
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"OPENBLAS_NUM_THREADS": "1"}  # as `course.py lab` and Binder: one BLAS thread
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# Idle culling: stop servers nobody used for CNNLIB_HUB_CULL_S seconds (their files stay in the home).
cull = int(os.environ.get("CNNLIB_HUB_CULL_S", "3600"))
if cull > 0:
    c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
                                "scopes": ["list:users", "read:users:activity", "read:servers",
                                           "delete:servers"]}]
    c.JupyterHub.services = [{"name": "idle-culler",
                              "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull}"]}]
