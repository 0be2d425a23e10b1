"""The study manifest (``study.toml``): schema, validation and helpful errors.

Example
-------
.. code-block:: toml

    [study]
    title = "Cd(im)2 melting and glass formation"

    [[samples]]
    id = "cdim2"
    label = "Cd(im)2, mechanochemical"
    formula = "Cd(im)2"
    phase = "crystal"

      [[samples.dsc]]
      file = "dsc/cdim2_heat.txt"
      mass = "8.1 mg"

Relative file paths are relative to the manifest. Every technique key under a sample is a list
of entries; each entry is validated by that technique's ``Options`` model.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mofglass.composition import Composition, mixed_linker
from mofglass.errors import InputFormatError, ManifestError, OptionError
from mofglass.options import check_options
from mofglass.study.technique import SampleInfo, registered_techniques

__all__ = ["Entry", "Manifest", "SampleSpec", "StudyInfo", "load_manifest", "parse_manifest"]

Phase = Literal["crystal", "glass", "glass-ceramic", "liquid", "amorphous"]


class StudyInfo(BaseModel):
    """The ``[study]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Untitled study"
    description: str = ""
    authors: list[str] = Field(default_factory=list)


class MixedLinker(BaseModel):
    """``mixed_linker = {metal = "Cd", x = 0.25}``: M(linker)2-x(colinker)x."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metal: str
    x: float = Field(ge=0.0, le=2.0)
    linker: str = "im"
    colinker: str = "bim"


class SampleSpec(BaseModel):
    """One ``[[samples]]`` entry, without its technique entries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    label: str = ""
    phase: Phase
    formula: str | None = None
    mixed_linker: MixedLinker | None = None
    simulated: bool = False
    notes: str = ""

    @model_validator(mode="after")
    def _one_composition(self) -> SampleSpec:
        if self.formula is not None and self.mixed_linker is not None:
            raise ValueError("give either formula or mixed_linker, not both")
        return self

    @field_validator("formula")
    @classmethod
    def _formula_parses(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                Composition.from_formula(v)
            except InputFormatError as exc:
                raise ValueError(str(exc).replace("<formula>: ", "")) from None
        return v

    def resolved_composition(self) -> Composition | None:
        """Return the sample's composition (mixed linker or formula), or None."""
        if self.mixed_linker is not None:
            c = self.mixed_linker
            return mixed_linker(c.metal, c.x, linker=c.linker, colinker=c.colinker)
        if self.formula is not None:
            return Composition.from_formula(self.formula)
        return None

    def info(self) -> SampleInfo:
        """Return the sample facts every technique receives with its task."""
        comp = self.resolved_composition()
        return SampleInfo(
            id=self.id,
            label=self.label or self.id,
            phase=self.phase,
            formula=None if comp is None else comp.formula,
            molar_mass_g_mol=None if comp is None else comp.molar_mass_g_mol,
            simulated=self.simulated,
        )


@dataclass(frozen=True)
class Entry:
    """One technique entry of one sample: the file (absolute) and validated options."""

    technique: str
    file: Path | None
    file_as_written: str | None
    options: Mapping[str, Any]
    simulated: bool = False


@dataclass(frozen=True)
class Manifest:
    """A validated study manifest."""

    path: Path
    text: str
    study: StudyInfo
    samples: tuple[SampleSpec, ...]
    entries: Mapping[str, tuple[Entry, ...]]  # by sample id
    data: Mapping[str, Any]  # the parsed TOML, for provenance

    @property
    def folder(self) -> Path:
        """The folder relative manifest paths start from."""
        return self.path.parent

    @property
    def input_files(self) -> list[Path]:
        """Every data file the manifest names, sorted."""
        files = {e.file for es in self.entries.values() for e in es if e.file is not None}
        return sorted(files)


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate a manifest file; every problem raises :class:`ManifestError`."""
    p = Path(path)
    if not p.is_file():
        got = "a folder" if p.is_dir() else "no such manifest file"
        raise ManifestError(p, f"expected a manifest file (study.toml), got {got}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ManifestError(
            p, f"expected UTF-8 text, got byte 0x{bad:02x} at offset {exc.start}"
        ) from None
    return parse_manifest(text, path=p)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_manifest(text: str, *, path: str | Path = "study.toml") -> Manifest:
    """Validate manifest text; ``path`` anchors relative file names and error messages."""
    p = Path(path).resolve() if str(path) != "study.toml" else Path(path)
    shown = Path(path)
    if not text.strip():
        raise ManifestError(
            shown, "expected a [study] table and [[samples]], got an empty manifest"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m else None
        raise ManifestError(
            shown,
            f"expected valid TOML (TOML syntax error: {_TOML_POS.sub('', msg).strip()})",
            line=line,
        ) from None

    _check_finite(shown, text, data, "")
    _check_keys(shown, text, data, {"study", "samples"}, where="the top level")
    if not isinstance(data.get("study", {}), dict):
        raise ManifestError(shown, "[study] must be a table")
    _check_keys(shown, text, data.get("study", {}), set(StudyInfo.model_fields), where="[study]")
    try:
        study = StudyInfo(**data.get("study", {}))
    except ValidationError as exc:
        raise _from_validation(shown, text, exc, where="[study]") from None
    samples_data = data.get("samples")
    if not isinstance(samples_data, list) or not samples_data:
        raise ManifestError(
            shown, "no samples: add at least one [[samples]] table with id and phase"
        )

    techniques = registered_techniques()
    sample_fields = set(SampleSpec.model_fields)
    samples: list[SampleSpec] = []
    entries: dict[str, tuple[Entry, ...]] = {}
    seen: dict[str, int] = {}
    seen_entries: dict[tuple[str, str, str], str] = {}
    for i, raw in enumerate(samples_data):
        if not isinstance(raw, Mapping):
            raise ManifestError(
                shown, f"samples entry {i + 1} must be a [[samples]] table, got {raw!r}"
            )
        sid = raw.get("id", f"#{i + 1}")
        _check_keys(shown, text, raw, sample_fields | set(techniques), where=f"sample {sid!r}")
        plain = {k: v for k, v in raw.items() if k in sample_fields}
        try:
            spec = SampleSpec(**plain)
        except ValidationError as exc:
            raise _from_validation(shown, text, exc, where=f"sample {sid!r}") from None
        if spec.id in seen:
            raise ManifestError(
                shown,
                f"duplicate sample id {spec.id!r} (samples {seen[spec.id] + 1} and {i + 1})",
                line=_line_of(text, rf'id\s*=\s*"{re.escape(spec.id)}"', nth=2),
            )
        seen[spec.id] = i
        samples.append(spec)
        sample_entries: list[Entry] = []
        for key, technique in techniques.items():
            if key in raw:
                sample_entries += _entries_for(
                    shown, p.parent, text, spec, key, raw[key], technique.Options, seen_entries
                )
        entries[spec.id] = tuple(sample_entries)
    return Manifest(
        path=p, text=text, study=study, samples=tuple(samples), entries=entries, data=data
    )


def _entry_file(
    shown: Path, text: str, folder: Path, spec: SampleSpec, key: str, file_written: Any
) -> Path:
    """Return the resolved data file of one entry, or raise naming the manifest line."""
    if not file_written:
        raise ManifestError(
            shown,
            f"sample {spec.id!r}: expected a 'file' in the [{key}] entry, got none",
            line=_line_of(text, rf"\[\[samples\.{re.escape(key)}\]\]"),
        )
    if not isinstance(file_written, str):
        raise ManifestError(
            shown,
            f"sample {spec.id!r}: [{key}] file must be a quoted path, got {file_written!r}",
            line=_line_of(text, r"^\s*file\s*=\s*[^\"'\s]"),
        )
    file_path = (folder / file_written).resolve()
    if not file_path.is_file():
        raise ManifestError(
            shown,
            f"sample {spec.id!r}: {key} file {file_written!r} does not exist (looked in {file_path.parent})",
            line=_line_of(text, re.escape(str(file_written))),
        )
    if file_path.stat().st_size == 0:
        raise ManifestError(
            shown,
            f"sample {spec.id!r}: {key} file {file_written!r} is empty",
            line=_line_of(text, re.escape(str(file_written))),
        )
    return file_path


def _entries_for(
    shown: Path,
    folder: Path,
    text: str,
    spec: SampleSpec,
    key: str,
    raw: Any,
    options_model: type[BaseModel],
    seen_entries: dict[tuple[str, str, str], str],
) -> list[Entry]:
    technique = registered_techniques()[key]
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ManifestError(
                shown, f"sample {spec.id!r}: [{key}] entries must be tables, got {item!r}"
            )
        opts = dict(item)
        file_written = opts.pop("file", None)
        if file_written is None and isinstance(opts.get("files"), list) and opts["files"]:
            file_written = opts["files"][0]  # an entry of several files (a rate series)
        simulated = bool(opts.pop("simulated", spec.simulated))
        file_path: Path | None = None
        inline = technique.inline_input is not None and technique.inline_input in opts
        if inline:
            if file_written:
                raise ManifestError(
                    shown,
                    f"sample {spec.id!r}: a [{key}] entry gives both 'file' and an inline "
                    f"'{technique.inline_input}'; give one",
                    line=_line_of(text, rf"^\s*{re.escape(str(technique.inline_input))}\s*="),
                )
            opts = _resolve_inline_files(shown, text, folder, spec.id, key, opts)
        if technique.needs_file and not inline:
            file_path = _entry_file(shown, text, folder, spec, key, file_written)
        if isinstance(opts.get("files"), list):  # further files of one entry (a rate series)
            resolved = []
            for fw in opts["files"]:
                fp = (folder / str(fw)).resolve()
                if not fp.is_file():
                    raise ManifestError(
                        shown,
                        f"sample {spec.id!r}: {key} file {fw!r} does not exist (looked in {fp.parent})",
                        line=_line_of(text, re.escape(str(fw))),
                    )
                resolved.append(str(fp))
            opts["files"] = resolved
        allowed = {f.alias or name for name, f in options_model.model_fields.items()} | {
            "file",
            "simulated",
        }
        _check_keys(shown, text, opts, allowed, where=f"sample {spec.id!r} [{key}]")
        try:
            check_options(opts, command=key)
        except OptionError as exc:
            raise ManifestError(
                shown,
                f"sample {spec.id!r} [{key}]: {exc}",
                line=_line_of(
                    text,
                    rf"^\s*{re.escape(exc.option)}\s*=\s*[\"'\[]?\s*{re.escape(str(exc.got))}",
                )
                or _line_of(text, rf"^\s*{re.escape(exc.option)}\s*="),
            ) from None
        try:
            validated = options_model(**opts)
        except ValidationError as exc:
            raise _from_validation(shown, text, exc, where=f"sample {spec.id!r} [{key}]") from None
        entry = Entry(key, file_path, file_written, validated.model_dump(mode="json"), simulated)
        _check_duplicate(shown, text, spec.id, entry, seen_entries)
        out.append(entry)
    return out


def _resolve_inline_files(
    shown: Path, text: str, folder: Path, sid: str, key: str, value: Any
) -> Any:
    """``file = "..."`` keys inside an inline entry, resolved against the manifest folder."""
    if isinstance(value, list):
        return [_resolve_inline_files(shown, text, folder, sid, key, v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out = {k: _resolve_inline_files(shown, text, folder, sid, key, v) for k, v in value.items()}
    if isinstance(out.get("file"), str):
        fp = (folder / out["file"]).resolve()
        if not fp.is_file():
            raise ManifestError(
                shown,
                f"sample {sid!r}: {key} file {out['file']!r} does not exist (looked in {fp.parent})",
                line=_line_of(text, re.escape(out["file"])),
            )
        out["file"] = str(fp)
    return out


def _check_duplicate(
    shown: Path, text: str, sample_id: str, entry: Entry, seen: dict[tuple[str, str, str], str]
) -> None:
    """Refuse the same file with the same options twice: a copy-paste slip, not a result."""
    if entry.file is None:
        return
    import json

    key = (entry.technique, str(entry.file), json.dumps(entry.options, sort_keys=True))
    if key in seen:
        raise ManifestError(
            shown,
            f"sample {sample_id!r}: {entry.technique} file {entry.file_as_written!r} is listed "
            f"twice with the same options (first under sample {seen[key]!r})",
            line=_line_of(text, re.escape(str(entry.file_as_written)), nth=2),
        )
    seen[key] = sample_id


def _check_finite(shown: Path, text: str, data: Any, where: str) -> None:
    """TOML allows nan and inf; no manifest value may be either."""
    if isinstance(data, float) and not math.isfinite(data):
        key = re.split(r"[ .]", where)[-1].split("[")[0]
        raise ManifestError(
            shown,
            f"{where}: expected a finite number, got {data!r}",
            line=_line_of(text, rf"^\s*{re.escape(key)}\s*=.*\b(nan|inf)\b"),
        )
    if isinstance(data, Mapping):
        for k, v in data.items():
            if where == "" and k == "samples" and isinstance(v, list):
                for i, sample in enumerate(v):
                    sid = sample.get("id", f"#{i + 1}") if isinstance(sample, Mapping) else i + 1
                    _check_finite(shown, text, sample, f"sample {sid!r}:")
                continue
            _check_finite(
                shown,
                text,
                v,
                f"{where} {k}" if where.endswith(":") else (f"{where}.{k}" if where else str(k)),
            )
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _check_finite(shown, text, v, f"{where}[{i}]")


def _check_keys(
    shown: Path, text: str, data: Mapping[str, Any], allowed: set[str], *, where: str
) -> None:
    allowed_shown = set(allowed)
    for key in data:
        if key in allowed_shown:
            continue
        guess = difflib.get_close_matches(key, sorted(allowed_shown), n=1, cutoff=0.6)
        hint = (
            f"; did you mean {guess[0]!r}?"
            if guess
            else f"; allowed: {', '.join(sorted(allowed_shown))}"
        )
        raise ManifestError(
            shown,
            f"unknown key {key!r} in {where}{hint}",
            line=_line_of(text, rf"(?:^|\s|\[|\.){re.escape(key)}\s*(?:=|\]|\.)"),
        )


def _from_validation(shown: Path, text: str, exc: ValidationError, *, where: str) -> ManifestError:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        return ManifestError(shown, f"{where}: missing required key {loc!r}")
    line = _line_of(text, rf"^\s*{re.escape(str(err['loc'][0]))}\s*=") if err["loc"] else None
    return ManifestError(shown, f"{where}: {loc}: {msg}", line=line)


def _line_of(text: str, pattern: str, *, nth: int = 1) -> int | None:
    """1-based line of the nth match of ``pattern`` in ``text``, if any."""
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            count += 1
            if count == nth:
                return i
    return None


def sample_infos(manifest: Manifest) -> Sequence[SampleInfo]:
    """SampleInfo of every sample, in manifest order."""
    return [s.info() for s in manifest.samples]
