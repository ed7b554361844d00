"""The Content-Security-Policy allows styles from the site's own files only (style-src 'self'),
so a `style="…"` attribute in a template is silently dropped by the browser (and logged as a
violation): the layout it meant never shows. Every template uses classes instead."""

import re
from pathlib import Path

import ekraf

INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def test_no_template_carries_an_inline_style_attribute():
    root = Path(ekraf.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE_STYLE.search(line)
    ]
    assert not offenders, "inline style attributes (use a class in app.css): " + ", ".join(
        offenders
    )
