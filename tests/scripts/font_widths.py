"""Regenerate the diagrams' text widths from DejaVu Sans: ``python tests/scripts/font_widths.py``.

Diagrams are laid out before any renderer sees them, so sopkit measures text
itself. DejaVu Sans is the widest of the fonts the diagrams name (Noto Sans,
Liberation Sans and Arial are narrower), so boxes sized with its advance
widths hold the text whichever of them draws it. The script reads the widths
straight from the TrueType tables (``cmap`` format 4 and ``hmtx``), with no
font library.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

FONTS = {
    "regular": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
#: Latin, Latin-1, Latin Extended-A, Cyrillic, general punctuation, currency signs.
RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x400, 0x45F), (0x2010, 0x2044), (0x20A0, 0x20BF))
TARGET = Path(__file__).resolve().parents[2] / "sopkit" / "render" / "diagram" / "_widths.py"


def advance_widths(path: Path, codepoints: list[int]) -> dict[int, int | None]:
    """Advance width of each code point in thousandths of an em (``None``: no glyph)."""
    data = path.read_bytes()
    tables = {}
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode()] = offset
    head, hhea, hmtx, cmap = tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
    units = struct.unpack(">H", data[head + 18 : head + 20])[0]
    metrics = struct.unpack(">H", data[hhea + 34 : hhea + 36])[0]
    advances = [
        struct.unpack(">H", data[hmtx + 4 * i : hmtx + 4 * i + 2])[0] for i in range(metrics)
    ]
    table = None
    for i in range(struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]):
        platform, encoding, offset = struct.unpack(
            ">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i]
        )
        if (platform, encoding) == (3, 1) and struct.unpack(
            ">H", data[cmap + offset : cmap + offset + 2]
        )[0] == 4:
            table = cmap + offset
    assert table is not None, "no Unicode BMP cmap"
    double = struct.unpack(">H", data[table + 6 : table + 8])[0]
    count = double // 2
    ends = struct.unpack(f">{count}H", data[table + 14 : table + 14 + double])
    starts = struct.unpack(f">{count}H", data[table + 16 + double : table + 16 + 2 * double])
    deltas = struct.unpack(f">{count}h", data[table + 16 + 2 * double : table + 16 + 3 * double])
    range_base = table + 16 + 3 * double
    offsets = struct.unpack(f">{count}H", data[range_base : range_base + double])

    def glyph(cp: int) -> int:
        for i in range(count):
            if starts[i] <= cp <= ends[i]:
                if offsets[i] == 0:
                    return (cp + deltas[i]) & 0xFFFF
                at = range_base + 2 * i + offsets[i] + 2 * (cp - starts[i])
                found = struct.unpack(">H", data[at : at + 2])[0]
                return (found + deltas[i]) & 0xFFFF if found else 0
        return 0

    widths: dict[int, int | None] = {}
    for cp in codepoints:
        g = glyph(cp)
        widths[cp] = None if g == 0 else round(advances[min(g, metrics - 1)] * 1000 / units)
    return widths


def source() -> str:
    lines = [
        '"""Advance widths of DejaVu Sans, in thousandths of an em (generated; do not edit).',
        "",
        "Regenerate with ``python tests/scripts/font_widths.py``. Each range is its",
        "first code point and the widths of it and the code points that follow, as",
        "space-separated numbers; 0 marks a character the font lacks.",
        '"""',
        "",
        "# fmt: off",
        "WIDTHS: dict[str, tuple[tuple[int, str], ...]] = {",
    ]
    for style, path in FONTS.items():
        lines.append(f'    "{style}": (')
        for first, last in RANGES:
            widths = advance_widths(path, list(range(first, last + 1)))
            values = [str(w or 0) for w in widths.values()]
            lines.append(f"        (0x{first:04X}, (")
            for i in range(0, len(values), 16):
                tail = " " if i + 16 < len(values) else ""
                lines.append('            "' + " ".join(values[i : i + 16]) + tail + '"')
            lines.append("        )),")
        lines.append("    ),")
    lines.append("}")
    lines.append("# fmt: on")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(source(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
