"""The ground floor of laborwatch: what every room stands on, importing no room and nothing of the shell.

- :mod:`lwcore.domain`: the shared vocabulary (``Post``, ``Analysis``, ``Severity``, ``EVENT_TYPES``...)
- :mod:`lwcore.settings`: ``Settings`` and ``load_settings()``
- :mod:`lwcore.errors`: ``LaborwatchError``, ``ConfigError``
- :mod:`lwcore.db`: ``Base``, ``UtcDateTime``, ``Database`` (engine, sessions, Alembic upgrade)
- :mod:`lwcore.lazy`: ``lazy_exports()`` for the rooms' ``__init__``
- :mod:`lwcore.standing`: a firm's standing with the bureau as it travels on an analysed post

Moved out of ``laborwatch/`` by ``scripts/dev/ground_floor.py`` (issue 20); the app shell (CLI, service, web,
wiring, pipeline) stays in ``laborwatch/``.
"""
