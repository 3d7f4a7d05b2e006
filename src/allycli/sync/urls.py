"""Hub URLs: checking them, and the one form in which they are ever shown (no password)."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from allycli.core.errors import UsageError

SCHEMES = ("postgresql", "postgres")
_SECRET_PARAMS = ("password", "sslpassword")


def check(url: str) -> str:
    """The URL, stripped, if it is a postgresql:// URL; a usage error that never shows it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in SCHEMES:
        raise UsageError(
            "A sync URL looks like postgresql://user:password@host/database "
            "(libpq's ~/.pgpass can hold the password instead)."
        )
    return url


def redact(url: str) -> str:
    """The URL without its password (and without any password in its query)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the sync URL"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    user = ""
    if parts.username is not None:
        user = parts.username + (":***" if parts.password is not None else "") + "@"
    query = urlencode(
        [(k, "***" if k in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query)],
        safe="*/",
    )
    return f"{parts.scheme}://{user}{host}{port}{parts.path}" + (f"?{query}" if query else "")


def without_password(url: str) -> str:
    """The URL to keep: the same, without a password (libpq finds it in ~/.pgpass)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = user.split(":", 1)[0] + "@" + host
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if k not in _SECRET_PARAMS], safe="/"
    )
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def secrets(url: str) -> list[str]:
    """Every form in which the URL's passwords could appear in a message."""
    found: list[str] = []
    try:
        parts = urlsplit(url)
        if parts.password:
            found += [parts.password, unquote(parts.password)]
        found += [v for k, v in parse_qsl(parts.query) if k in _SECRET_PARAMS and v]
    except ValueError:
        pass
    return [s for s in found if s]


def scrub(message: str, url: str | None) -> str:
    """A message with any password of the URL replaced by ***."""
    if url is None:
        return message
    for secret in sorted(secrets(url), key=len, reverse=True):
        message = message.replace(secret, "***")
    return message
