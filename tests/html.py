"""Reading pages by structure, not substrings."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def field_error(response, name: str) -> str | None:
    """The message shown next to field ``name``, or None."""
    node = parse(response).find(id=f"{name}-error")
    return " ".join(node.get_text(" ", strip=True).replace("Error:", "").split()) if node else None


def summary_errors(response) -> list[str]:
    summary = parse(response).select_one(".error-summary")
    return [item.get_text(strip=True) for item in summary.select("li")] if summary else []


def title(response) -> str:
    return parse(response).find("h1").get_text(strip=True)
