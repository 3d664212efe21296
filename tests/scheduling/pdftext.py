"""The text of a reportlab PDF, as a reader would copy it: enough of PDF to check what prints.

Embedded TrueType subsets draw glyph codes, not letters; each subset's ToUnicode map says which
letter each code is. This reads those maps and decodes the page streams with them, so a test
fails if a name would print wrongly (or not at all) on paper.
"""

import base64
import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|\[|\]|[^\s\[\]()/]+", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _stream(body: bytes) -> bytes | None:
    found = STREAM.search(body)
    if found is None:
        return None
    raw, head = found.group(1), body[: found.start()]
    if b"ASCII85Decode" in head:
        raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
    return zlib.decompress(raw) if b"FlateDecode" in head else raw


def _literal(token: bytes) -> bytes:
    out, i, inner = bytearray(), 0, token[1:-1]
    while i < len(inner):
        char = inner[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        nxt = inner[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", inner[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(data: bytes) -> str:
    objects = {int(num): body for num, body in OBJECT.findall(data)}
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F[\w+]+) (\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if to_unicode:
                fonts[name] = _cmap(_stream(objects[int(to_unicode.group(1))]) or b"")
    lines: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if content is None or b"BT" not in content:
            continue
        current: dict[int, str] | None = None
        operands: list[bytes] = []
        line = ""
        for token in TOKEN.findall(content):
            if (
                token.startswith(b"(")
                or token.startswith(b"/")
                or token in (b"[", b"]")
                or re.fullmatch(rb"-?[\d.]+", token)
            ):
                operands.append(token)
            else:
                if token == b"Tf":
                    current = fonts.get(operands[-2][1:]) if len(operands) >= 2 else None
                elif token in (b"Tj", b"TJ", b"'", b'"'):
                    for operand in operands:
                        if operand.startswith(b"("):
                            raw = _literal(operand)
                            line += (
                                "".join(current.get(b, "?") for b in raw)
                                if current
                                else raw.decode("latin-1")
                            )
                elif token in (b"Td", b"TD", b"T*", b"Tm", b"ET") and line:
                    lines.append(line)
                    line = ""
                operands = []
        if line:
            lines.append(line)
    return "\n".join(lines)
