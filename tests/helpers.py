"""Submitting forms as a browser would: read the page, keep its hidden fields, post."""
from __future__ import annotations

import re


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]+type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def submit(client, url: str, data: dict, form_url: str | None = None):
    """GET the form page, then POST `data` with its CSRF token and nonce."""
    page = client.get(form_url or url)
    fields = hidden_fields(page.get_data(as_text=True))
    return client.post(url, data={**fields, **data})
