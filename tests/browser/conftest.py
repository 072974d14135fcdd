import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser here. The
    # background-networking flags keep it from calling out of the machine.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address; transactional so the server thread sees the test's rows."""
    return live_server.url
