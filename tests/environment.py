"""Loaded as a pytest plugin (-p) before pytest-django reads the settings: a test
process gets a throwaway secret key and plain-HTTP settings, whatever the shell exports."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
os.environ["HTTPS"] = "false"
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
