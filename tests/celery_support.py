"""Point the project's Celery app at another broker for a test, and back.

The suite starts with in-process tasks (settings, ``CTE_ENV=test``); the tests that prove the
Redis path reconfigure the app towards the real Redis and start a real worker.
"""

import threading


def reconfigure_celery(app, **conf) -> dict:
    """Apply ``conf`` to ``app``; return the previous values, to restore them afterwards."""
    previous = {key: app.conf[key] for key in conf}
    app.conf.update(**conf)
    # Connection pools, the producer pool, the remote control and the result backend were
    # built for the previous broker: drop them so that they are rebuilt from the new conf.
    app._pool = None
    app.__dict__.pop("amqp", None)
    app.__dict__.pop("control", None)
    app._backend_cache = None
    app._local = threading.local()
    return previous
