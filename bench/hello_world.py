"""The reference of bench/web_load.py: a hello-world Flask app under the production server's
settings (`gunicorn -c python:bench.hello_world bench.hello_world:app`).

The settings are those of diaspora/gunicorn_config.py (workers, threads, worker class, preload,
keep-alive, timeouts) without its hooks, which warm the diaspora app, and without its JSON log.
"""

from flask import Flask

from diaspora import gunicorn_config as production

workers = production.workers
threads = production.threads
worker_class = production.worker_class
timeout = production.timeout
graceful_timeout = production.graceful_timeout
keepalive = production.keepalive
preload_app = production.preload_app
control_socket_disable = production.control_socket_disable
loglevel = "warning"

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
