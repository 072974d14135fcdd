"""The site's two palettes (static/css/site.css) meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for controls and bars.

Read from the stylesheet itself, so a colour changed there is checked here;
the pairs are those that meet on a page (text on its backgrounds, a field's
border on the panel around it).
"""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()

# (foreground, background) of text: body text, notes, links, tags, headings, buttons.
TEXT = [
    ("ink", "paper"),
    ("ink", "wash"),
    ("ink", "field"),
    ("ink", "notice"),
    ("ink", "draft"),
    ("paper", "ink"),
    ("muted", "paper"),
    ("muted", "wash"),
    ("muted", "field"),
    ("link", "paper"),
    ("link", "wash"),
    ("accent", "paper"),
    *((stage, background) for stage in ("considered", "announced", "in_effect", "lifted") for background in ("paper", "wash")),
    # The measures map's tiles: a country's code on its stage's colour.
    ("paper", "in_effect"),
    ("paper", "announced"),
    ("considered", "considered-tint"),
    ("lifted", "lifted-tint"),
    ("muted", "none-tint"),
]
# (foreground, background) of what is not text: fields' borders, focus rings, the overview's bars, markers.
CONTROLS = [
    ("control-border", "field"),
    ("control-border", "wash"),
    ("control-border", "paper"),
    ("focus", "paper"),
    ("focus", "wash"),
    ("accent", "paper"),
    ("accent", "wash"),
    ("draft-border", "draft"),
]


def _variables(block):
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block))


DARK = re.compile(r"@media screen and \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", re.S)


def _dark_blocks():
    return DARK.findall(CSS)


def palettes():
    """Each palette's colours: the light one from the top-level :root blocks, the dark one overriding it."""
    light = {}
    for block in re.findall(r"^:root \{(.*?)^\}", CSS, re.S | re.M):
        light.update(_variables(block))
    dark = dict(light)
    for block in _dark_blocks():
        dark.update(_variables(block))
    return {"light": light, "dark": dark}


def _luminance(colour):
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_it_computes_contrast_as_wcag_defines_it():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_it_reads_both_palettes_from_the_stylesheet():
    found = palettes()
    assert found["light"]["paper"] == "#fff" and found["dark"]["paper"] != found["light"]["paper"]
    # Every colour the dark palette needs is redefined there, not inherited from the light one.
    redefined = {name for block in _dark_blocks() for name in _variables(block)}
    assert {name for pair in TEXT + CONTROLS for name in pair} <= redefined


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background"), TEXT)
def test_text_has_aa_contrast(scheme, foreground, background):
    colours = palettes()[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= 4.5, f"{scheme}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background"), CONTROLS)
def test_controls_have_aa_contrast(scheme, foreground, background):
    colours = palettes()[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= 3, f"{scheme}: {foreground} on {background} is {ratio:.2f}:1"
