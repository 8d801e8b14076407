"""Drives the pipeline's web UI in headless Chromium and checks what a user sees."""
import argparse
import json
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def api(base, path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    truth = json.load(open(args.truth))
    base = args.base

    # Every span stored before the browser looks (bounded).
    expected = sum(s["spans"] for s in truth["services"].values())
    deadline = time.time() + 30
    while sum(len(t["spans"]) for t in api(base, "/api/traces", service="api-gateway", limit=10000)["data"]) < expected:
        assert time.time() < deadline, "the store never held every span"
        time.sleep(0.2)
    failed = api(base, "/api/traces", service="catalog-service", tags=json.dumps({"error": "true"}), limit=10000)["data"]
    assert len(failed) == truth["services"]["catalog-service"]["errors"], (len(failed), truth["services"]["catalog-service"])

    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 20)
    try:
        # Services: one row per service, with a health badge and, after a refresh, a rate. The
        # page rebuilds the table every 2 s, so it is read in one script call, never through
        # element handles a refresh can make stale.
        def services_table(d):
            return d.execute_script(
                "return [...document.querySelectorAll('#services tbody tr')]"
                ".map(r => [r.dataset.service, r.innerText, r.querySelector('td.num').innerText])")

        driver.get(base + "/")
        wait.until(lambda d: len(services_table(d)) == 4)
        rows = {service: text for service, text, _ in services_table(driver)}
        assert set(rows) == set(truth["services"]), set(rows)
        assert "unhealthy" in rows["catalog-service"] or "degraded" in rows["catalog-service"], rows["catalog-service"]
        # The second refresh (2 s) turns the counters into rates.
        wait.until(lambda d: all(rate != "–" for _, _, rate in services_table(d)))
        driver.save_screenshot(f"{args.screenshots}/overview.png")

        # Search: catalog-service, error=true; as many results as failed traces (limit 100).
        driver.get(base + "/#/search")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "select[name=service] option[value='catalog-service']")))
        Select(driver.find_element(By.NAME, "service")).select_by_value("catalog-service")
        driver.find_element(By.NAME, "tags").send_keys("error=true")
        limit = driver.find_element(By.NAME, "limit")
        limit.clear()
        limit.send_keys("100")
        driver.find_element(By.ID, "find").click()
        wait.until(EC.presence_of_element_located((By.ID, "result-count")))
        items = driver.find_elements(By.CSS_SELECTOR, ".results li")
        assert len(items) == min(100, len(failed)), (len(items), len(failed))
        assert all("failed" in item.get_attribute("class") for item in items)
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.scatter circle.failed")) == len(items)
        driver.save_screenshot(f"{args.screenshots}/search.png")

        # The first result's waterfall: 3 spans nested 0, 1, 2; the catalog span and, for a 5xx,
        # its callers marked as errors.
        trace_id = items[0].get_attribute("data-trace")
        items[0].find_element(By.TAG_NAME, "a").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#waterfall .span-row")) == 3)
        spans = driver.find_elements(By.CSS_SELECTOR, "#waterfall .span-row")
        assert [s.get_attribute("data-depth") for s in spans] == ["0", "1", "2"], [s.get_attribute("data-depth") for s in spans]
        stored = api(base, f"/api/traces/{trace_id}")["data"][0]
        by_id = {s["spanID"]: s for s in stored["spans"]}
        for row in spans:
            span = by_id[row.get_attribute("data-span")]
            errored = any(t["key"] == "otel.status_code" and t["value"] == "ERROR" for t in span["tags"])
            assert ("error" in row.get_attribute("class").split()) == errored, (span["operationName"], row.get_attribute("class"))
        assert "error" in spans[2].get_attribute("class").split(), "the failed catalog span is not marked"
        assert "catalog-service" in spans[2].text and "← api-gateway" in spans[2].text, spans[2].text
        spans[2].click()
        details = driver.find_element(By.CSS_SELECTOR, "#waterfall .details:not([hidden])")
        assert "http.response.status_code" in details.text and "exception" in details.text, details.text
        driver.save_screenshot(f"{args.screenshots}/trace.png")

        # Dependencies: api-gateway calls the three services, as many times as it sent them.
        driver.get(base + "/#/dependencies")
        wait.until(EC.presence_of_element_located((By.ID, "dependency-graph")))
        table = {tuple(c.text for c in r.find_elements(By.TAG_NAME, "td")) for r in driver.find_elements(By.CSS_SELECTOR, "table tbody tr")}
        want = {("api-gateway", s, str(truth["services"][s]["spans"])) for s in ["auth-service", "user-service", "catalog-service"]}
        assert table == want, (table, want)
        driver.save_screenshot(f"{args.screenshots}/dependencies.png")

        # Error groups link to example traces that open.
        driver.get(base + "/#/errors")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#error-groups tbody tr")))
        link = driver.find_element(By.CSS_SELECTOR, "#error-groups tbody a")
        link.click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#waterfall .span-row")) == 3)
    finally:
        driver.quit()
    print(f"web UI: services table, search ({len(items)} failed traces), waterfall of {trace_id}, dependencies and error links checked in Chromium")


if __name__ == "__main__":
    main()
