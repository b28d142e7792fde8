"""The page in a real browser: Debian's Chromium, headless, driven by Selenium.

Screenshots of each step go to the test's tmp_path. With SCAFFOLD_WEB_SCREENSHOT=FILE
set, the answered page is also saved to FILE (the README's docs/web.png is made so).
Where Chromium is missing the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from scaffold.web import create_app
from tests.web_helpers import NEWSROOM, WEATHER, cli_tree, without_secrets

# Slow: a real Chromium; kept out of the fast suite, run by CI.
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Read at import: the autouse fixture in conftest sets CI for every test.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
WAIT = 60  # seconds a step may take on a busy machine before the test gives up


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The local-mode app on a free loopback port, in a thread."""
    out = tmp_path_factory.mktemp("web-out")
    httpd = make_server("127.0.0.1", 0, create_app(out), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(downloads: Path) -> Iterator[webdriver.Chrome]:
    """Headless Chromium through the system chromedriver, downloading into ``downloads``."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        message = f"missing {', '.join(missing)}: apt-get install chromium chromium-driver"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1800",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def settled(driver: webdriver.Chrome, after: int = 0) -> int:
    """Wait until the page has finished an update newer than ``after``; return its number."""

    def ready(d: webdriver.Chrome) -> int | bool:
        version = int(d.execute_script("return document.body.dataset.version || '0'"))
        busy = d.execute_script("return document.body.dataset.state") != "ready"
        return version if version > after and not busy else False

    return WebDriverWait(driver, WAIT).until(ready)


def answer(driver: webdriver.Chrome, answers: dict[str, str]) -> None:
    """Fill the form as a person would: type, pick and tick with the keyboard."""
    for key, value in answers.items():
        field = driver.find_element(By.ID, f"f-{key}")
        if field.get_attribute("type") == "checkbox":
            if field.is_selected() != (value == "true"):
                field.send_keys(Keys.SPACE)
        elif field.tag_name == "select":
            Select(field).select_by_value(value)
        else:
            field.clear()
            field.send_keys(value)


def verdict(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.ID, "verdict").text


def text_of(driver: webdriver.Chrome, element_id: str) -> str:
    """An element's exact text, whitespace and all."""
    return driver.execute_script(f"return document.getElementById('{element_id}').textContent")


def shoot(driver: webdriver.Chrome, path: Path) -> None:
    """A screenshot of the whole page."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 800), 4000))
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 0


def test_the_recommendation_follows_the_answers(browser, server: str, tmp_path: Path) -> None:
    """The weather-API developer is pointed to Flask, the newsroom team to Django."""
    browser.get(server + "/")
    version = settled(browser)
    assert verdict(browser).startswith("No answers yet")
    answer(browser, WEATHER)
    settled(browser, version)
    WebDriverWait(browser, WAIT).until(lambda d: verdict(d).startswith("Flask, by"))
    shoot(browser, tmp_path / "1-weather.png")
    if os.environ.get("SCAFFOLD_WEB_SCREENSHOT"):
        shutil.copyfile(tmp_path / "1-weather.png", os.environ["SCAFFOLD_WEB_SCREENSHOT"])

    browser.get(server + "/")
    version = settled(browser)
    answer(browser, NEWSROOM)
    settled(browser, version)
    WebDriverWait(browser, WAIT).until(lambda d: verdict(d).startswith("Django, by"))
    assert "--framework django" in text_of(browser, "command")
    shoot(browser, tmp_path / "2-newsroom.png")


def test_explore_shows_what_scaffold_new_writes(browser, server: str, tmp_path: Path) -> None:
    """A file opened in Explore is byte for byte the file `scaffold new` writes."""
    browser.get(server + "/")
    version = settled(browser)
    answer(browser, NEWSROOM)
    settled(browser, version)
    path = "newsroom/settings.py"
    browser.find_element(By.CSS_SELECTOR, f'#tree button[data-path="{path}"]').click()
    WebDriverWait(browser, WAIT).until(lambda d: text_of(d, "file-name") == path)
    shoot(browser, tmp_path / "3-explore.png")
    shown = text_of(browser, "file-content").encode("utf-8")
    written = cli_tree(text_of(browser, "command"), tmp_path / "cli")
    assert shown == written[path]


def test_zip_download_is_the_tree_scaffold_new_writes(
    browser, server: str, tmp_path: Path, downloads: Path
) -> None:
    """The downloaded zip holds the same tree as `scaffold new` for the same answers."""
    browser.get(server + "/")
    version = settled(browser)
    answer(browser, WEATHER)
    settled(browser, version)
    browser.find_element(By.ID, "zip").click()
    archive = downloads / "weather_api.zip"
    WebDriverWait(browser, WAIT).until(
        lambda d: archive.exists() and not list(downloads.glob("*.crdownload"))
    )
    shoot(browser, tmp_path / "4-downloaded.png")
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zipped:
        tree = {n.removeprefix("weather_api/"): zipped.read(n) for n in zipped.namelist()}
    written = cli_tree(text_of(browser, "command"), tmp_path / "cli")
    assert without_secrets(tree) == without_secrets(written)


def test_a_share_link_fills_the_answers(browser, server: str, tmp_path: Path) -> None:
    """Following the page's share link in a fresh page brings every answer back."""
    browser.get(server + "/")
    version = settled(browser)
    answer(browser, {**NEWSROOM, "docker": "true"})
    settled(browser, version)
    link = browser.find_element(By.ID, "share-link").get_attribute("href")
    assert urlsplit(link).netloc == urlsplit(server).netloc

    browser.delete_all_cookies()
    browser.get(link)
    settled(browser)
    shoot(browser, tmp_path / "5-shared.png")
    assert browser.find_element(By.ID, "f-project_name").get_attribute("value") == "Newsroom"
    assert Select(browser.find_element(By.ID, "f-team")).first_selected_option.text == "large"
    assert Select(browser.find_element(By.ID, "f-prefer")).first_selected_option.text == "batteries"
    for key in ("admin", "accounts", "deadline", "docker"):
        assert browser.find_element(By.ID, f"f-{key}").is_selected(), key
    assert verdict(browser).startswith("Django, by")


def test_generate_writes_the_project(browser, server: str, tmp_path: Path) -> None:
    """In local mode Generate writes into the chosen directory and shows the next steps."""
    target = tmp_path / "projects"
    target.mkdir()
    browser.get(server + "/")
    version = settled(browser)
    answer(browser, {"project_name": "Forecast", "_directory": str(target)})
    settled(browser, version)
    browser.find_element(By.ID, "generate").click()
    WebDriverWait(browser, WAIT).until(lambda d: "Wrote" in d.find_element(By.ID, "result").text)
    shoot(browser, tmp_path / "6-generated.png")
    assert (target / "forecast" / ".scaffold-answers.yml").is_file()
    assert "flask run" in browser.find_element(By.ID, "result").text


def test_readable_on_a_phone_and_labelled(browser, server: str, tmp_path: Path) -> None:
    """On a phone-sized screen nothing scrolls sideways, and every control has a label."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    browser.get(server + "/?project_name=Weather+API&purpose=api")
    settled(browser)
    browser.save_screenshot(str(tmp_path / "7-phone.png"))
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    unlabelled = browser.execute_script(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]), select'))"
        ".filter((el) => el.labels.length === 0).map((el) => el.id)"
    )
    assert unlabelled == []
