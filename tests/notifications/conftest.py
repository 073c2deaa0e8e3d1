import pytest

from tests.imports.conftest import edition, english, program  # noqa: F401 (fixtures)
from tests.notifications.smtp import HangingSmtpServer, SmtpSink


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def hanging_smtp():
    with HangingSmtpServer() as server:
        yield server
