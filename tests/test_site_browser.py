"""The docs site in a real browser: Debian's headless Chromium, driven by Playwright, on 127.0.0.1 only.

The first tests build the site with `mkdocs build --strict`, serve it from a local HTTP server and read each
generated page as a reader sees it: the tables' cells from the DOM, the diagram as drawn, the search box, and
every request the browser made. The last one runs `mkdocs serve` on a copy of the example repository
(tests/fixtures/repo) and watches the open page follow edits of ssot/env.yaml, valid and invalid, through
live reload.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO_ROOT, edit, line_of
from mkdocs_serve import LOCAL_HOST, Served, serving
from playwright.sync_api import Browser, BrowserContext, Page, Request, ViewportSize, expect, sync_playwright

from compiler.core.layers import LayerInstance
from compiler.io.repository import load_facts
from compiler.render.tfvars import hcl_value

CHROMIUM = Path("/usr/bin/chromium")
#: Besides --headless (Playwright adds it) and a fresh --user-data-dir (Playwright makes a temporary one):
#: without the background-networking flags Chromium calls Google's hosts at every start.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ARTIFACTS = REPO_ROOT / "test-artifacts"

FACTS = load_facts(REPO_ROOT)
pytestmark = pytest.mark.long  # one worker runs the module (conftest.py): one browser
ENVIRONMENTS = [env.name for env in FACTS.environments]
#: Every page `ssot build` generates, by its URL under the site's root.
GENERATED_PAGES = [
    "ssot/env/",
    "ssot/layers/",
    *(f"ssot/environments/{name}/" for name in ENVIRONMENTS),
    "ssot/variables/",
    "ssot/decisions/",
    "ssot/diagram/",
]


def require_chromium() -> None:
    if CHROMIUM.is_file():
        return
    hint = f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does, and `make test` run as root)"
    if os.environ.get("CI"):
        pytest.fail(hint)
    pytest.skip(hint)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


class RecordedPage:
    """A browser tab that remembers the URL of every request it made, on every page it opened."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        page.on("request", self._record)

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not _is_local(url)]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == LOCAL_HOST


def _local_only(context: BrowserContext) -> BrowserContext:
    # Should the site ask another host for anything, fail that request at once rather than wait on the
    # network; the request is still recorded, and the test that looks for such requests fails.
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    return context


@pytest.fixture(scope="module")
def contexts(browser: Browser) -> Iterator[Callable[[ViewportSize], BrowserContext]]:
    """`contexts(viewport)`: the module's browser context for that window size. Its tabs share one HTTP cache,
    as a reader's do: Material's scripts and styles are fetched and compiled once, not once per test (half
    a page load). Each test opens a tab of its own; tests/test_site_browser.py never changes what a context
    keeps (cookies, storage), and the test of every request a page makes starts a context afresh."""
    opened: dict[tuple[int, int], BrowserContext] = {}

    def context(viewport: ViewportSize) -> BrowserContext:
        size = (viewport["width"], viewport["height"])
        if size not in opened:
            opened[size] = _local_only(browser.new_context(viewport=viewport))
        return opened[size]

    yield context
    for context_ in opened.values():
        context_.close()


#: The window of the tests that read a page's content.
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture
def tab(contexts: Callable[[ViewportSize], BrowserContext]) -> Iterator[RecordedPage]:
    page = contexts(DESKTOP).new_page()
    try:
        yield RecordedPage(page)
    finally:
        page.close()


@pytest.fixture(scope="module")
def site_url(repository_site: Path) -> Iterator[str]:
    """The repository's site, built with `mkdocs build --strict` (conftest.py) and served on 127.0.0.1 (a free port)."""
    site_dir = repository_site

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(QuietHandler, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def table_rows(page: Page) -> list[dict[str, str]]:
    """Every body row of every table in the page's content: header -> the cell's text as rendered."""
    tables = page.locator("article table")
    expect(tables.first).to_be_visible()
    rows: list[dict[str, str]] = tables.evaluate_all(
        """tables => tables.flatMap(table => {
            const headers = Array.from(table.tHead.rows[0].cells, cell => cell.innerText.trim());
            return Array.from(table.tBodies[0].rows, row =>
                Object.fromEntries(Array.from(row.cells, (cell, i) => [headers[i], cell.innerText.trim()])));
        })"""
    )
    return rows


def assert_row(rows: list[dict[str, str]], expected: dict[str, str]) -> None:
    """Some row shows all of `expected` (header -> text); other columns may hold anything."""
    assert any(expected.items() <= row.items() for row in rows), f"no table row shows {expected}; rows:\n" + "\n".join(
        map(str, rows)
    )


def instance_cells(instance: LayerInstance) -> dict[str, str]:
    return {
        "Namespace": instance.namespace or "-",
        "Workspace": instance.workspace,
        "Atlantis project": instance.atlantis_project or "-",
        "State key": instance.state_key,
    }


def plain(markdown: str) -> str:
    """Inline Markdown as the browser shows it: without the backticks and asterisks."""
    return re.sub(r"[`*]", "", markdown)


def namespaces() -> list[str]:
    return [i.namespace for env in FACTS.environments for i in env.layers if i.namespace]


def test_home_page_shows_the_layers_and_every_namespace(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url)

    rows = table_rows(page)
    for layer_id, layer in FACTS.ssot.layers.items():
        assert_row(rows, {"Layer": layer_id, "Name": layer.name})
    content = page.locator("article")
    for namespace in namespaces():
        expect(content).to_contain_text(namespace)
    expect(content.get_by_role("link", name="Environment model")).to_have_attribute("href", "ssot/env/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_environment_model_page_shows_the_matrix_domains_and_tfvars(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url + "ssot/env/")

    rows = table_rows(page)
    for layer_id, layer in FACTS.ssot.layers.items():
        assert_row(rows, {"Layer": layer_id, "Name": layer.name})
    for instance in (*FACTS.shared, *(i for env in FACTS.environments for i in env.layers)):
        assert_row(rows, {"Layer": f"{instance.layer_id} {instance.layer.name}", **instance_cells(instance)})
    for env in FACTS.environments:
        domains = env.domains
        assert domains is not None, "the example's environments have domains"
        assert_row(
            rows,
            {"Name": env.name, "Business domain": domains.business, "Platform domain": domains.platform},
        )
        for variable, value in env.tfvars.items():
            assert_row(rows, {"Variable": variable, env.title: hcl_value(value)})
    expect(page.locator("article h3", has_text=FACTS.ssot.decisions[0].title)).to_be_visible()


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_each_environment_page_shows_its_namespaces_domains_and_tfvars(
    site_url: str, tab: RecordedPage, name: str
) -> None:
    env = next(env for env in FACTS.environments if env.name == name)
    page = tab.page
    page.goto(site_url + f"ssot/environments/{name}/")

    expect(page.locator("article h1")).to_have_text(re.compile(rf"^{re.escape(env.title)}¶?$"))
    rows = table_rows(page)
    for instance in env.layers:
        layer = f"{instance.layer_id} {instance.layer.name}"
        assert_row(rows, {"Layer": layer, **instance_cells(instance), "Var-file": env.var_file})
    assert env.domains is not None, "the example's environments have domains"
    assert_row(rows, {"Kind": "Business", "Domain": f"*.{env.domains.business}"})
    assert_row(rows, {"Kind": "Platform", "Domain": f"*.{env.domains.platform}"})
    for variable, value in env.tfvars.items():
        assert_row(rows, {"Variable": variable, "Value": hcl_value(value)})
    if name == ENVIRONMENTS[0]:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"environment-{name}.png", full_page=True)


def test_layers_page_shows_each_layer_with_its_components_and_instances(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url + "ssot/layers/")

    for layer_id, layer in FACTS.ssot.layers.items():
        heading = page.locator("article h2", has_text=f"{layer_id} {layer.name}")
        expect(heading).to_be_visible()
        expect(heading.locator("xpath=following-sibling::ul[1]/li")).to_have_text(layer.components)
    rows = table_rows(page)
    for instance in FACTS.shared:
        assert_row(rows, {**instance_cells(instance), "Environment": "all (shared)"})
    for env in FACTS.environments:
        for instance in env.layers:
            assert_row(rows, {**instance_cells(instance), "Environment": env.title})


def test_variables_page_lists_the_contract(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url + "ssot/variables/")

    rows = table_rows(page)
    for name, variable in FACTS.ssot.variables.items():
        assert_row(rows, {"Variable": name, "Type": variable.type, "Description": plain(variable.description)})


def test_decisions_page_shows_each_decision_with_its_trade_offs(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url + "ssot/decisions/")

    content = page.locator("article")
    for decision in FACTS.ssot.decisions:
        expect(content.locator("h2", has_text=decision.title)).to_be_visible()
        expect(content).to_contain_text(plain(decision.decision))
        for reason in decision.rationale:
            expect(content).to_contain_text(f"{plain(reason.title)}: {plain(reason.detail)}")
        for trade_off in decision.trade_offs:
            warning = content.locator(".admonition.warning", has_text=plain(trade_off.risk))
            expect(warning).to_be_visible()
            for mitigation in trade_off.mitigations:
                expect(warning.locator("li", has_text=plain(mitigation))).to_be_visible()


def test_diagram_is_drawn_with_every_environment_and_namespace(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    page.goto(site_url + "ssot/diagram/")

    image = page.locator("article img.ssot-diagram, article svg.ssot-diagram").first
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50, box
    if image.evaluate("element => element.tagName.toLowerCase()") == "img":
        # A broken or empty SVG loads as an image of width 0.
        assert image.evaluate("img => img.complete && img.naturalWidth") > 0
        response = page.request.get(image.evaluate("img => img.src"))
        assert response.ok, response.status
        svg = response.text()
    else:
        svg = image.evaluate("svg => svg.outerHTML")
    drawn = [text.text or "" for text in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    for expected in (*namespaces(), *(env.title for env in FACTS.environments)):
        assert expected in drawn, f"{expected!r} is not drawn; texts: {drawn}"


@pytest.fixture(scope="module")
def source_tab(site_url: str, contexts: Callable[[ViewportSize], BrowserContext]) -> Iterator[Page]:
    """The source page, loaded once for the tests that follow a link into it (its longest page to load)."""
    page = contexts(DESKTOP).new_page()
    try:
        page.goto(site_url + "source/")
        yield page
    finally:
        page.close()


@pytest.mark.parametrize(
    "path",
    GENERATED_PAGES,
)
def test_each_generated_page_says_so_and_links_to_its_source(
    site_url: str, tab: RecordedPage, source_tab: Page, path: str
) -> None:
    """The link leads to the source page (as the browser resolves it; test_a_link_to_a_line_of_the_source_
    highlights_it clicks one), at an anchor that stands on the line where the page's key is written."""
    page = tab.page
    page.goto(site_url + path)

    note = page.locator("article .admonition.note").first
    expect(note).to_be_visible()
    expect(note).to_contain_text("generated", ignore_case=True)
    link = note.locator('a[href*="source/"]')
    # The page is loaded: no need to wait long for a link that is not there.
    expect(link).to_have_text(re.compile(r"ssot/env\.yaml"), timeout=1_000)
    target = urlsplit(link.evaluate("a => a.href"))
    assert f"{target.scheme}://{target.netloc}{target.path}" == site_url + "source/", target.geturl()
    anchor = target.fragment
    if anchor:  # the page's key path: the anchor stands on the line where its key is written
        expect(source_tab.locator(f'[id="{anchor}"]')).to_be_attached()
        written = source_tab.evaluate(
            """id => { let text = ""; const start = document.getElementById(id);
                for (let n = start && start.nextSibling; n && !(n.id || "").startsWith("__codelineno"); n = n.nextSibling)
                    text += n.textContent;
                return start ? text : null; }""",
            anchor,
        )
        assert written is not None and written.strip().startswith(anchor.rsplit(".", 1)[-1] + ":"), (anchor, written)


#: The widths a reader uses: a usual desktop, a phone.
VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS.values()), ids=list(VIEWPORTS))
def sized_tab(contexts: Callable[[ViewportSize], BrowserContext], request: pytest.FixtureRequest) -> Iterator[Page]:
    page = contexts(request.param).new_page()
    try:
        yield page
    finally:
        page.close()


#: What does not fit its page: a table wider than the content, or a table, cell or code block whose content
#: is wider than its box (cut off, or behind a scrollbar that some systems show only while scrolling).
CUT_OFF = """() => {
    // The content column: Material lets tables and code blocks reach into the article's margins.
    const content = document.querySelector(".md-content").getBoundingClientRect();
    const found = [];
    for (const element of document.querySelectorAll(
        "article table, article th, article td, article .md-typeset__scrollwrap, article pre > code")) {
        const box = element.getBoundingClientRect();
        if (!element.checkVisibility() || box.width === 0) continue;  // in a tab not shown, say
        const what = `${element.tagName.toLowerCase()} "${element.innerText.trim().slice(0, 40)}"`;
        if (box.right > content.right + 1 || box.left < content.left - 1)
            found.push(`${what}: ${Math.round(box.left)}..${Math.round(box.right)} outside the content's `
                + `${Math.round(content.left)}..${Math.round(content.right)}`);
        if (element.scrollWidth > element.clientWidth + 1)
            found.push(`${what}: ${element.scrollWidth} px of content in ${element.clientWidth} px`);
    }
    return found;
}"""


def _served(page: Path) -> str:
    """The URL path MkDocs serves a Markdown page at (`manual/index.md` -> `manual/`)."""
    path = page.relative_to(REPO_ROOT / "docs").with_suffix("")
    return f"{(path.parent if path.name == 'index' else path).as_posix()}/"


#: the manual's pages (docs/manual/): its wide reference tables are held to the same widths
MANUAL_PAGES = [_served(page) for page in sorted((REPO_ROOT / "docs" / "manual").rglob("*.md"))]


def test_every_table_and_code_block_fits_the_page_without_scrolling(
    site_url: str, contexts: Callable[[ViewportSize], BrowserContext]
) -> None:
    """Each page loaded once, at a phone's width, then looked at in every window size: resized in place, as
    Material's stylesheets (media queries) and scripts (they watch the viewport) follow a resize as they do a
    load at that size. Half the page loads of a load per size."""
    phone, *others = [VIEWPORTS["phone"], *(size for name, size in VIEWPORTS.items() if name != "phone")]
    page = contexts(phone).new_page()
    cut_off = {}
    try:
        for path in ["", *GENERATED_PAGES, "source/", *MANUAL_PAGES]:
            page.set_viewport_size(phone)
            page.goto(site_url + path)
            expect(page.locator("article h1")).to_be_visible()
            for size in (phone, *others):
                page.set_viewport_size(size)
                if found := page.evaluate(CUT_OFF):
                    cut_off[f"{path or '/'} at {size['width']} px"] = found
        assert cut_off == {}
        ARTIFACTS.mkdir(exist_ok=True)
        page.goto(site_url + "ssot/env/")
        for size in (phone, *others):
            page.set_viewport_size(size)
            page.screenshot(path=ARTIFACTS / f"environment-model-{size['width']}.png", full_page=True)
    finally:
        page.close()


def test_a_phone_shows_each_row_of_a_wide_table_with_its_headers(
    site_url: str, contexts: Callable[[ViewportSize], BrowserContext]
) -> None:
    page = contexts(VIEWPORTS["phone"]).new_page()
    try:
        page.goto(site_url + f"ssot/environments/{ENVIRONMENTS[0]}/")
        instance = FACTS.environments[0].layers[0]
        cell = page.locator("article td", has_text=instance.state_key).first
        expect(cell).to_be_visible()
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"State key"', label
    finally:
        page.close()


def search_cases() -> list[tuple[str, str]]:
    """(what a reader types, the page a result must lead to): values and parts of values, as typed."""
    env = FACTS.environments[0]
    assert env.domains is not None, "the example's environments have domains"
    instance = next(i for i in env.layers if i.namespace and i.atlantis_project)
    variable = next((name for name in FACTS.ssot.variables if "_" in name), next(iter(FACTS.ssot.variables)))
    on_env_page = f"ssot/environments/{env.name}/"
    return [
        (instance.state_key.rsplit(".", 1)[-1], on_env_page),  # the end of a state key: tfstate
        (instance.state_key, on_env_page),
        (instance.namespace or "", on_env_page),
        (instance.atlantis_project or "", on_env_page),
        (env.name, on_env_page),
        (variable, "ssot/variables/"),
        # not the bare base domain: every environment, the manual's examples and the source share it
        (env.domains.business, on_env_page),
    ]


def test_search_finds_state_keys_namespaces_projects_variables_and_domains(site_url: str, sized_tab: Page) -> None:
    page = sized_tab
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    if not search.is_visible():  # a phone: the search box opens from the header's button
        page.locator("label.md-header__button[for='__search']").click()
    missed = []
    for typed, target in search_cases():
        search.fill("")
        search.press_sequentially(typed)
        if not _search_leads_to(page, typed, target):
            missed.append(f"{typed!r} -> {target}: {page.locator('.md-search-result__meta').inner_text()}")
    assert missed == []


def _search_leads_to(page: Page, typed: str, target: str) -> bool:
    """Whether a result (maybe folded under "more on this page") leads to `target` with every word of `typed`
    found there: Material puts the words a result matched into its link (`?h=data+staging`)."""
    words = {word for word in re.split(r"[^a-z0-9]+", typed.lower()) if word}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        links = page.locator(f'a.md-search-result__link[href*="{target}"]')
        for href in links.evaluate_all("links => links.map(link => link.href)"):
            highlighted = set(parse_qs(urlsplit(href).query).get("h", [""])[0].lower().split())
            if words <= highlighted:
                return True
        page.wait_for_timeout(100)
    return False


def test_a_link_to_a_line_of_the_source_highlights_it(site_url: str, tab: RecordedPage) -> None:
    page = tab.page
    env = FACTS.environments[0]
    page.goto(site_url + f"ssot/environments/{env.name}/")

    page.locator("article .admonition.note a", has_text="ssot/env.yaml").first.click()

    expect(page).to_have_url(re.compile(r"/source/#"))
    line = page.locator("article .highlight code > :is(:target, :has(:target))")
    expect(line).to_have_count(1)
    expect(line).to_contain_text(f"{env.name}:")
    expect(line).to_be_in_viewport()
    highlighted = line.evaluate("line => getComputedStyle(line).backgroundColor")
    other = line.evaluate(
        "line => getComputedStyle(line.nextElementSibling || line.previousElementSibling).backgroundColor"
    )
    assert highlighted != other, highlighted


def test_no_page_asks_any_host_but_127_0_0_1(site_url: str, browser: Browser) -> None:
    """Every page in a tab of its own in one fresh context (nothing cached: every request a page needs is
    made and recorded), all loading at once, each until its network is idle (a request made late counts)."""
    paths = ["", *GENERATED_PAGES, "source/", "404.html"]
    context = _local_only(browser.new_context(viewport=DESKTOP))
    try:
        tabs = [RecordedPage(context.new_page()) for _ in paths]
        for tab, path in zip(tabs, paths):
            tab.page.goto(site_url + path, wait_until="commit")
        for tab in tabs:
            tab.page.wait_for_load_state("networkidle")
        requests = [url for tab in tabs for url in tab.requests]
        foreign = [url for tab in tabs for url in tab.foreign_requests()]
    finally:
        context.close()

    assert len(requests) > len(GENERATED_PAGES)  # pages, styles, scripts, the search index, the diagram
    assert foreign == []


# --- mkdocs serve: the open page follows ssot/env.yaml ---------------------------------------------------


@pytest.fixture
def served_copy(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`mkdocs serve` (live reload on) over a copy of the example repository, stopped whatever the test did."""
    require_chromium()
    with serving(repo, tmp_path_factory.mktemp("serve")) as running:
        yield running


def test_mkdocs_serve_reloads_the_open_page_when_the_yaml_changes(
    repo: Path, served_copy: Served, tab: RecordedPage
) -> None:
    page = tab.page
    ssot = repo / "ssot/env.yaml"
    page.goto(served_copy.url + "ssot/environments/staging/")
    content = page.locator("article")
    expect(content).to_contain_text("x-staging.example.com")
    expect(content).not_to_contain_text("y-staging")

    edit(ssot, "env_prefix: x-staging", "env_prefix: y-staging")

    # No reload from here: live reload must bring the new fact into the open page by itself.
    expect(content).to_contain_text("y-staging.example.com", timeout=20_000)

    edit(ssot, "    scope: shared              #", "    scope: global              #")
    location = f"ssot/env.yaml:{line_of(ssot.read_text(encoding='utf-8'), 'scope: global')}:"

    errors = page.locator("article .admonition.danger")
    expect(errors).to_contain_text("ssot/env.yaml has errors", timeout=20_000)
    problem = errors.locator("code", has_text=location).first
    expect(problem).to_be_visible()
    message = problem.inner_text()
    deadline = time.monotonic() + 5
    while message not in served_copy.log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert message in served_copy.log_text()
    assert served_copy.process.poll() is None, served_copy.log_text()
    assert tab.foreign_requests() == []
