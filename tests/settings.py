"""Test settings: the production settings with test secrets, plus the test-only app."""

import os
import tempfile
from pathlib import Path

_DATA = Path(tempfile.mkdtemp(prefix="safemoves-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789-abcdefghij")
os.environ.setdefault("AUDIT_HMAC_KEY", "test-audit-key-0123456789")
os.environ.setdefault("SAFEMOVES_DATA_DIR", str(_DATA))
os.environ.setdefault("SAFEMOVES_KEYRING_FILE", str(_DATA / "keyring.json"))
os.environ.setdefault("SAFEMOVES_KEYRING_AUTOCREATE", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from safemoves.settings import *  # noqa: E402,F403
from safemoves.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# Fast hashing keeps the suite quick; argon2 itself is covered by a dedicated test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
# Cookies without the __Host- prefix and Secure flag, so the plain-HTTP test server can use them.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sm_session"
CSRF_COOKIE_NAME = "sm_csrf"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every reuse of a prepared statement is checked against Django's own compilation (ADR 0030).
SAFEMOVES_VERIFY_PREPARED_SQL = True
