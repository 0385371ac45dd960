"""Chromium through selenium, logged in to Cockpit as one Unix user, with helpers for the
console's pages. Debian's chromedriver is used as it is (`Service("/usr/bin/chromedriver")`), so
selenium downloads nothing."""

import contextlib
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


# Seeks the clip's <video> and answers when the seeked frame is presented: `ms` from setting
# currentTime to the later of `seeked` and that frame, and the frame's media time.
SEEK = """
const [target, done] = arguments;
const v = document.getElementById("clip-video");
v.muted = true;
const started = performance.now();
let frame = null, seeked = null;
const finish = () => { if (frame && seeked !== null) done({ ms: Math.max(frame.at, seeked) - started, seekedMs: seeked - started, mediaTime: frame.mediaTime }) };
// Registered before the seek: the first frame presented after it is the seek's (paused, no other frame comes).
v.requestVideoFrameCallback((now, meta) => { frame = { at: performance.now(), mediaTime: meta.mediaTime }; finish() });
v.addEventListener("seeked", () => { seeked = performance.now(); finish() }, { once: true });
v.currentTime = target;
"""


class Browser:
    def __init__(self, url, language="zh-CN"):
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                         f"--lang={language}", "--autoplay-policy=no-user-gesture-required", "--force-device-scale-factor=1"]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_script_timeout(60)
        self.url = url

    def login(self, user, password):
        d = self.driver
        d.get(self.url)
        # Cockpit's login page builds itself after load: wait until the field takes input.
        WebDriverWait(d, 30).until(EC.element_to_be_clickable((By.ID, "login-user-input")))
        d.find_element(By.ID, "login-user-input").send_keys(user)
        d.find_element(By.ID, "login-password-input").send_keys(password)
        d.find_element(By.ID, "login-button").click()
        self.wait_page("overview", timeout=60)

    def wait(self, condition, timeout=30):
        # A page the console redraws replaces its elements: a stale one is looked up again.
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2,
                             ignored_exceptions=[StaleElementReferenceException]).until(condition)

    def wait_page(self, name, timeout=30):
        """Waits until the console shows page `name` and has finished loading it."""
        self.wait(lambda d: d.execute_script(
            "const p = document.getElementById('page'); return p && p.dataset.page === arguments[0] && p.dataset.ready === 'yes'", name),
            timeout)

    def go(self, path, name=None):
        self.driver.execute_script("window.location.hash = arguments[0]", path)
        self.wait_page(name or path.strip("/#").split("/")[0])

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        return self.find(css).text

    def wait_text(self, css, needle, timeout=30):
        """Waits until an element matching `css` is shown and contains `needle`; returns its text."""
        def shown(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if el.is_displayed() and needle in el.text:
                    return el.text
            return False
        return self.wait(shown, timeout)

    def fill(self, form_css, **values):
        for name, value in values.items():
            field = self.find(f"{form_css} [name='{name}']")
            if field.get_attribute("type") == "checkbox":
                if field.is_selected() != bool(value):
                    field.click()
            elif field.tag_name == "select":
                self.driver.execute_script("arguments[0].value = arguments[1]", field, value)
            else:
                field.clear()
                field.send_keys(value)

    def submit(self, form_css):
        self.find(f"{form_css} button[type=submit]").click()

    def seek(self, target):
        """Seeks the console's player to `target` seconds; {ms, seekedMs, mediaTime} of the frame shown."""
        return self.driver.execute_async_script(SEEK, target)

    def screenshot(self, path):
        time.sleep(0.3)  # let the last paint settle
        self.driver.save_screenshot(str(path))

    def console_log(self):
        """The page's console messages so far (printed when a check fails)."""
        try:
            return "\n".join(f"{e['level']}: {e['message']}" for e in self.driver.get_log("browser"))
        except Exception as error:  # noqa: BLE001 - only for a failure report
            return f"(no console log: {error})"

    def quit(self):
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - the browser may already be gone; cleanup goes on
            pass


@contextlib.contextmanager
def session(station, role, language="zh-CN"):
    """A browser logged in to the station's Cockpit as the test user of `role`, quit afterwards."""
    browser = Browser(station.url, language)
    try:
        browser.login(*station.users[role])
        yield browser
    finally:
        browser.quit()
