from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from safemoves.common.env import env_bool, env_int, env_secret

PRODUCTION_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG, "DEMO": settings.DEMO,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY, "SESSION_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT, "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "HASHER": settings.PASSWORD_HASHERS[0], "KEYRING_AUTOCREATE": settings.SAFEMOVES_KEYRING_AUTOCREATE,
}))
"""


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAFEMOVES_", "DJANGO_"))}
    for key in ("SECRET_KEY", "AUDIT_HMAC_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "EMAIL_BACKEND", "DEBUG"):
        env.pop(key, None)
    secret_file = tmp_path / "secret"
    secret_file.write_text("p" * 30 + "Q9z!x" * 10 + "\n")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "safemoves.settings",
            "SECRET_KEY_FILE": str(secret_file),
            "AUDIT_HMAC_KEY": "audit-key-for-the-deploy-check",
            "ALLOWED_HOSTS": "safemoves.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SAFEMOVES_DATA_DIR": str(tmp_path),
        }
    )
    env.update(extra)
    return env


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safemoves", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure_by_default(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "DEMO": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_NAME": "__Host-sm_session",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 63072000,
        "HASHER": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "KEYRING_AUTOCREATE": False,
    }


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY_FILE", "Set SECRET_KEY or SECRET_KEY_FILE."),
        ("AUDIT_HMAC_KEY", "Set AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE."),
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path: Path, missing: str, message: str) -> None:
    env = _production_env(tmp_path)
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_cannot_be_turned_on_outside_demo(tmp_path: Path) -> None:
    env = _production_env(tmp_path, DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DEBUG may only be turned on together with SAFEMOVES_DEMO=1." in result.stderr


def test_env_helpers_fail_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SM_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SM_FLAG must be a boolean"):
        env_bool("SM_FLAG", False)
    monkeypatch.setenv("SM_COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="SM_COUNT must be an integer, got 'ten'"):
        env_int("SM_COUNT", 1)
    monkeypatch.setenv("SM_SECRET", "direct")
    monkeypatch.setenv("SM_SECRET_FILE", str(tmp_path / "nope"))
    with pytest.raises(ImproperlyConfigured, match=r"Set only one of SM_SECRET and SM_SECRET_FILE\."):
        env_secret("SM_SECRET")
    monkeypatch.delenv("SM_SECRET")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("SM_SECRET")
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("SM_SECRET_FILE", str(tmp_path / "empty"))
    with pytest.raises(ImproperlyConfigured, match="is empty"):
        env_secret("SM_SECRET")


def test_demo_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = env_secret("SM_UNSET_SECRET", fallback_file=path)
    assert env_secret("SM_UNSET_SECRET", fallback_file=path) == first
    assert len(first) >= 50
    assert path.stat().st_mode & 0o777 == 0o600
