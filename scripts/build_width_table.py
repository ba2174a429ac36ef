#!/usr/bin/env python3
"""Write docgen/layout/widths.json: advance widths of Times New Roman's metric twin.

    .venv/bin/python scripts/build_width_table.py [--fonts DIR] [--check]

The letterhead pass (docgen/layout) measures header lines to choose where a long agency
name breaks and how wide the header columns are. Liberation Serif 2 (Debian's
fonts-liberation2) is metric-compatible with Times New Roman — every glyph has the same
advance width — and carries the Vietnamese letters, so its widths stand for Word's and
LibreOffice's. The table is committed data: no font file is read at run time. fontTools
(a dev dependency) reads the fonts here, once.

Only the characters a Vietnamese header can hold are kept (Latin, Latin-1, Latin
Extended-A/B, combining marks, Latin Extended Additional, general punctuation, ₫);
kerning is left out (Word applies none unless a run asks for it). ``--check`` exits 1
when the committed file differs from what the fonts give.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docgen" / "layout" / "widths.json"
DEFAULT_FONTS = Path("/usr/share/fonts/truetype/liberation2")
STYLES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}
RANGES = ((0x20, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20AB, 0x20AB))


def table(fonts: Path) -> dict[str, object]:
    styles: dict[str, dict[str, int]] = {}
    units = version = None
    for style, name in STYLES.items():
        font = TTFont(fonts / name)
        units = font["head"].unitsPerEm
        version = font["name"].getDebugName(5)
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        styles[style] = {
            chr(code): metrics[cmap[code]][0]
            for low, high in RANGES for code in range(low, high + 1) if code in cmap
        }
    return {
        "font": "Liberation Serif (metric-compatible with Times New Roman)",
        "version": version,
        "units_per_em": units,
        "styles": styles,
    }


def render(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", type=Path, default=DEFAULT_FONTS)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed table differs from the fonts'")
    args = parser.parse_args(argv)
    text = render(table(args.fonts))
    if args.check:
        same = OUT.read_text("utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'differs from the fonts'}")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
