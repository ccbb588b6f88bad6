"""Set-up mistakes that only show while serving: warned about once per process, kept for the admin.

Two of them look fine from the outside: a proxy in front while ``DIARY_TRUSTED_PROXIES`` is 0
(every patient then shares the proxy's address, so its failed logins lock the whole clinic out),
and share links built from the request's address behind HTTPS without ``DIARY_PUBLIC_URL`` (the
clinician may get an ``http://`` link or the wrong host). The first time a process sees one, it
logs a warning and records it in ``site_setting``; ``admin check`` shows the record for as long
as the setting is still missing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import current_app, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from diary.models import SiteSetting, utcnow

PREFIX = "notice:"  # site_setting names of recorded notices


@dataclass(frozen=True)
class Notice:
    message: str
    still_holds: Callable[[dict], bool]  # under these settings, is the mistake still there?


NOTICES = {
    "forwarded-for-ignored": Notice(
        "A request came through a proxy (it carried X-Forwarded-For) but DIARY_TRUSTED_PROXIES "
        "is 0: every patient is counted as the proxy's address, so 30 failed logins lock "
        "everyone out for 15 minutes. Set DIARY_TRUSTED_PROXIES=1 (one proxy on this machine) "
        "and restart the diary.",
        lambda config: config["TRUSTED_PROXIES"] == 0),
    "share-link-without-public-url": Notice(
        "A share link was built from the request's address because DIARY_PUBLIC_URL is not set; "
        "behind HTTPS the clinician may get an http:// link or the wrong host. Set "
        "DIARY_PUBLIC_URL=https://your.domain and restart the diary.",
        lambda config: not config["PUBLIC_URL"]),
}


def notice(name: str) -> None:
    """Warn once per process (one app per process) and record it; never fails the request."""
    app = current_app._get_current_object()
    noticed = app.extensions.setdefault("diary_notices", set())
    if name in noticed:
        return
    noticed.add(name)
    app.logger.warning(NOTICES[name].message)
    try:
        with Session(app.extensions["diary_engine"]) as session:
            record = session.get(SiteSetting, PREFIX + name) or SiteSetting(name=PREFIX + name, value="")
            record.updated_at = utcnow()
            session.add(record)
            session.commit()
    except IntegrityError:
        pass  # another worker recorded it at the same moment
    except SQLAlchemyError as error:  # the warning in the log is what matters
        app.logger.error("Could not record the notice %s (%s)", name, type(error).__name__)


def notice_untrusted_proxy() -> None:
    """Before each request while DIARY_TRUSTED_PROXIES is 0 (diary.server)."""
    if "X-Forwarded-For" in request.headers:
        notice("forwarded-for-ignored")


def notice_share_link_from_request() -> None:
    """When a share link is built from the request's address, not DIARY_PUBLIC_URL."""
    if current_app.config["HTTPS"] or request.is_secure:
        notice("share-link-without-public-url")


def recorded_notices(session: Session, config: dict) -> list[tuple[str, datetime]]:
    """The notices the server recorded whose mistake these settings still make, with when."""
    records = session.exec(select(SiteSetting).where(SiteSetting.name.startswith(PREFIX))).all()
    found = []
    for record in records:
        known = NOTICES.get(record.name.removeprefix(PREFIX))
        if known is not None and known.still_holds(config):
            found.append((known.message, record.updated_at))
    return found
