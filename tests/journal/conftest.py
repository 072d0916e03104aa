"""Journal tests: the backend fixtures (``pg_server``, ``pg_url``, ``target``) are in tests/conftest.py."""
