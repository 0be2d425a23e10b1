"""``mofglass schema [TECHNIQUE]``: the manifest keys of every technique, from its options model.

The table is made from the same pydantic models that validate manifests, so it cannot drift
from what the pipeline accepts: key, type, default, allowed range and description, plus an
example entry.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

__all__ = ["schema_command", "technique_schema"]


def _type_name(annotation: Any) -> str:
    """Return a short type name: ``float | None``, ``list[ObservationSpec]`` (constraints in range)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is not None and args:
        inner = ", ".join("..." if a is Ellipsis else _type_name(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _bounds(info: FieldInfo) -> str:
    parts = []
    for meta in info.metadata:
        for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            v = getattr(meta, attr, None)
            if v is not None:
                parts.append(f"{sym} {v}")
    return ", ".join(parts)


def _default(info: FieldInfo) -> Any:
    if info.is_required():
        return "(required)"
    d = info.get_default(call_default_factory=True)
    return d.model_dump() if isinstance(d, BaseModel) else d


def _nested_model(annotation: Any) -> tuple[type[BaseModel], str] | None:
    """Return the pydantic model inside ``M | None`` or ``list[M] | None``, and the key suffix."""
    args = [annotation]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg, ""
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner, "[]"
    return None


def _fields(model: type[BaseModel], prefix: str) -> list[dict[str, Any]]:
    """One row per key of ``model``; keys of nested tables as ``table.key``/``list[].key``."""
    rows = []
    for name, info in model.model_fields.items():
        rows.append(
            {
                "name": prefix + name,
                "type": _type_name(info.annotation),
                "default": _default(info),
                "range": _bounds(info),
                "description": info.description or "",
            }
        )
        nested = _nested_model(info.annotation)
        if nested is not None:
            rows += _fields(nested[0], f"{prefix}{name}{nested[1]}.")
    return rows


def technique_schema(key: str) -> dict[str, Any]:
    """Return the manifest keys of one technique: ``{"key", "title", "needs_file", "options": [...]}``."""
    from mofglass.study.technique import get_technique

    t = get_technique(key)
    options = _fields(t.Options, "")
    return {
        "key": t.key,
        "title": t.title,
        "needs_file": t.needs_file,
        "inline_input": t.inline_input,
        "doc": (typing.cast(str, type(t).__doc__) or "").strip().splitlines()[0:1],
        "options": options,
    }


def _example(s: dict[str, Any]) -> str:
    """Return the manifest example of the technique's module docstring (a ``::`` block), else a stub."""
    import inspect
    import textwrap

    from mofglass.study.technique import get_technique

    doc = inspect.getdoc(inspect.getmodule(type(get_technique(s["key"])))) or ""
    if "::" in doc and f"[[samples.{s['key']}]]" in doc:
        block = doc.split("::", 1)[1].split("\n\n", 2)
        body = block[1] if len(block) > 1 and not block[0].strip() else block[0]
        if f"[[samples.{s['key']}]]" in body:
            return textwrap.dedent(body).strip()
    lines = [f"[[samples.{s['key']}]]"]
    if s["needs_file"]:
        lines.append('file = "path/relative/to/manifest"')
    for o in s["options"]:
        if o["default"] == "(required)" and "." not in o["name"]:  # not keys of nested tables
            lines.append(f"{o['name']} = {_placeholder(o['type'])}  # required, {o['type']}")
    return "\n".join(lines)


def _placeholder(type_name: str) -> str:
    """Return a TOML value of the type, for the example of a required key."""
    t = type_name.replace(" ", "")
    if t.startswith(("tuple[str", "list[str")):
        return '["run_a.txt", "run_b.txt"]'
    if t.startswith(("tuple[float", "list[float")):
        return "[1.0, 2.0]"
    return {"str": '"..."', "int": "1", "float": "1.0", "bool": "false"}.get(t, '"..."')


def schema_command(
    technique: Annotated[
        str | None, typer.Argument(help="Technique key (dsc, pxrd, ...); default: list them.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the manifest keys of a technique: type, default, range, description, example.

    Examples
    --------
        mofglass schema

        mofglass schema nanoindentation

        mofglass schema dsc --json
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from mofglass.errors import MofglassError
    from mofglass.study.technique import registered_techniques

    known = registered_techniques()
    if technique is None:
        if json_out:
            typer.echo(json.dumps(sorted(known), indent=1))
            return
        t = Table(title=escape("Techniques (manifest key: [[samples.KEY]])"))
        t.add_column("key")
        t.add_column("section")
        t.add_column("file")
        for k, tech in known.items():
            t.add_row(k, escape(tech.title), "yes" if tech.needs_file else "no")
        Console().print(t)
        return
    if technique not in known:
        raise MofglassError(
            f"unknown technique {technique!r}; choose from {', '.join(sorted(known))}"
        )
    s = technique_schema(technique)
    if json_out:
        typer.echo(json.dumps(s, indent=1, default=str))
        return
    t = Table(title=escape(f"[[samples.{s['key']}]] — {s['title']}"))
    for c in ("key", "type", "default", "range", "description"):
        t.add_column(c, overflow="fold")
    if s["needs_file"]:
        required = (
            f"(required unless {s['inline_input']} is given inline)"
            if s.get("inline_input")
            else "(required)"
        )
        t.add_row("file", "str", required, "", "input file, relative to the manifest")
    for o in s["options"]:
        t.add_row(
            o["name"],
            escape(o["type"]),
            escape(json.dumps(o["default"], default=str)),
            o["range"],
            escape(o["description"]),
        )
    console = Console()
    console.print(t)
    console.print("example:\n" + escape(_example(s)))
