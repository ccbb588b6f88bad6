"""The page checks themselves can fail: each is shown a page broken on purpose.

Also the keyboard: the 0-10 scales are radio groups, so arrow keys move the answer.
"""

import pytest

from tests.browser.pages import VIEWPORTS, axe_violations, layout_problems

pytestmark = pytest.mark.browser

PHONE = VIEWPORTS["phone-360"]


def test_an_inline_script_is_refused_by_the_csp_and_the_watch_reports_it(contexts):
    context = contexts.open(PHONE)
    page = context.new_page()
    page.goto("/login")
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate("""() => {
          const script = document.createElement("script");
          script.textContent = "document.title = 'injected'";
          document.head.append(script);
        }""")
    assert page.title() != "injected"  # the policy held
    watch = contexts.watch(context)
    assert any("Content Security Policy" in problem for problem in watch.problems)
    watch.problems.clear()  # seen and expected: do not fail the test at teardown


def test_a_script_error_is_reported(contexts):
    context = contexts.open(PHONE)
    page = context.new_page()
    page.goto("/login")
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('broken on purpose'); }); }")
    watch = contexts.watch(context)
    assert any("broken on purpose" in problem for problem in watch.problems)
    watch.problems.clear()


def test_axe_reports_an_input_without_a_label(contexts):
    page = contexts.open(PHONE).new_page()
    page.goto("/login")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelector('label[for=email]').remove()")
    assert "label" in {violation["id"] for violation in axe_violations(page)}


def test_the_layout_check_reports_overflow_small_targets_and_small_inputs(contexts):
    page = contexts.open(PHONE).new_page()
    page.goto("/login")
    assert layout_problems(page) == []
    page.evaluate("""() => {
      document.querySelector("main").insertAdjacentHTML("beforeend",
        '<div style="width: 500px">wide</div><p><a href="/">x</a></p>');
      document.querySelector("#email").style.fontSize = "14px";
    }""")
    problems = " | ".join(layout_problems(page))
    assert "wide on a 360px screen" in problems
    assert 'a "x" is' in problems and "smaller than 44x44" in problems
    assert "font under 16px" in problems


def test_the_pain_scale_works_with_the_keyboard(contexts, new_patient):
    _, state = new_patient("Kim")
    page = contexts.open(VIEWPORTS["desktop"], storage_state=state).new_page()
    page.goto("/today")
    page.focus("#pain_avg-0")
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.is_checked("#pain_avg-4")
    assert page.evaluate("document.activeElement.id") == "pain_avg-4"
    name = page.evaluate("document.querySelector('#pain_avg-0').labels[0].innerText")
    assert name.split() == ["0", "(no", "pain)"]
