"""The small protocol by which a technique plugs into the study pipeline.

A technique is a subclass of :class:`Technique` registered with :func:`register`. The pipeline
knows nothing else about it. Built-in techniques live in ``mofglass.<subpackage>.technique``
modules (found automatically); third-party ones register through the ``mofglass.techniques``
entry-point group.

The life of one study, per technique:

1. the manifest lists, per sample, entries under the technique's ``key``
   (``[[samples.dsc]] file = "run1.txt"`` plus options validated by ``Options``);
2. the pipeline makes one :class:`Task` per entry and calls :meth:`Technique.run` on it - this is
   the per-file work, which may run on a Dask worker, so it must be a pure function of the task;
3. the :class:`TechniqueOutput` objects (rows for the results table plus JSON-ready details) are
   gathered, and :meth:`Technique.figures` and :meth:`Technique.report_html` make the figures and
   the report section from them (never from files).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from mofglass.results import Result, ResultRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DemoSample",
    "NoOptions",
    "SampleInfo",
    "Task",
    "Technique",
    "TechniqueOutput",
    "get_technique",
    "register",
    "registered_techniques",
]


class NoOptions(BaseModel):
    """Options schema of a technique that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class SampleInfo:
    """What a technique may know of the sample a file belongs to."""

    id: str
    label: str
    phase: str
    formula: str | None = None
    molar_mass_g_mol: float | None = None
    simulated: bool = False


@dataclass(frozen=True)
class Task:
    """One unit of per-file work: a technique applied to one manifest entry of one sample.

    ``path`` is absolute (resolved against the manifest); ``options`` are validated by the
    technique's ``Options`` model and passed as a plain dict so the task pickles cheaply.
    """

    technique: str
    sample: SampleInfo
    path: str | None
    options: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""  # the file name as written in the manifest (for tables and reports)
    index: int = 0  # position of the entry within the sample, for stable ordering

    @property
    def file(self) -> str:
        """The entry's file (absolute); ValueError for an entry without one."""
        if self.path is None:
            raise ValueError(f"task {self.technique!r} of {self.sample.id!r} has no file")
        return self.path

    @property
    def manifest_dir(self) -> Path:
        """The folder the manifest's relative file names start from.

        ``path`` with the entry's own relative ``source`` stripped (``source`` "dsc/a.txt" and
        path "/study/dsc/a.txt" give "/study"); further files an entry names (calibrations,
        phases) are relative to it, like ``file``.
        """
        depth = len(Path(self.source).parts) if self.source else 1
        return Path(self.file).parents[max(depth - 1, 0)]


@dataclass(frozen=True)
class TechniqueOutput:
    """What :meth:`Technique.run` returns for one task.

    Attributes
    ----------
    sample_id, source : str
        The sample and the input file (name relative to the manifest, or ``""``).
    rows : tuple of ResultRow
        Quantities for the results table.
    details : dict
        JSON-ready details (curves for figures, fit reports, warnings); stored in results.json.
    warnings : tuple of str
        Things the user should know (shown in the report and the CLI).
    """

    sample_id: str
    source: str
    rows: tuple[ResultRow, ...]
    details: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_result(
        cls,
        result: Result,
        task: Task,
        *,
        rows: Sequence[ResultRow] | None = None,
        details: Mapping[str, Any] | None = None,
        warnings: Sequence[str] = (),
        max_points: int = 2000,
    ) -> TechniqueOutput:
        """Build the output of ``task`` from an analysis result: its rows, its dict and its curves.

        ``details`` gets ``result`` (``result.to_dict()``, which ``type(result).from_dict``
        reads back for figures and reports) and ``curves`` (``result.curves(max_points)``),
        plus any extra entries given. ``rows`` default to ``result.rows(...)``.
        """
        out_rows = (
            tuple(rows)
            if rows is not None
            else tuple(
                result.rows(sample_id=task.sample.id, technique=task.technique, source=task.source)
            )
        )
        det = {"result": result.to_dict(), "curves": result.curves(max_points)}
        det.update(details or {})
        return cls(task.sample.id, task.source, out_rows, det, tuple(warnings))

    @classmethod
    def failure(cls, task: Task, error: Exception) -> TechniqueOutput:
        """Return the output of a task that failed but was kept (``--keep-going``).

        It has no rows, the error in ``details["error"]`` and ``"not analysed: ..."`` as its
        warning; :attr:`failed` tells it apart and :meth:`Technique.analysed` leaves it out.
        """
        return cls(
            task.sample.id, task.source, (), {"error": str(error)}, (f"not analysed: {error}",)
        )

    @property
    def failed(self) -> bool:
        """Whether this is the output of a failed task kept by ``--keep-going``."""
        return "error" in self.details


@dataclass(frozen=True)
class DemoSample:
    """A sample of the bundled demo study, with the paper parameters a generator may use."""

    id: str
    label: str
    phase: str
    formula: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


class Technique:
    """Base class of study techniques. Subclass, set the class attributes, register.

    The per-file work is :meth:`run`, a template: options validated, then :meth:`read`,
    :meth:`analyse` and :meth:`output` (``TechniqueOutput.from_result`` plus :meth:`details`).
    A plug-in writes ``read`` and ``analyse`` and overrides only what else differs.

    Class attributes
    ----------------
    key : str
        Manifest key (``"dsc"``); also the technique name in results.
    title : str
        Report section title.
    Options : type[pydantic.BaseModel]
        Schema of the per-entry options (use ``extra="forbid"``).
    needs_file : bool
        Whether each entry names a file (``file = "..."``). Techniques that work from the
        sample description alone (composition) set False and get one task per sample.
    inline_input : str or None
        An option key that may stand in for the file: an entry that gives it inline
        (``predict = {material = {...}, observation = [...]}``) needs no ``file``. Files named
        inside such inline tables (``file = "..."``) resolve against the manifest too.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    Options: ClassVar[type[BaseModel]] = NoOptions
    needs_file: ClassVar[bool] = True
    inline_input: ClassVar[str | None] = None
    order: ClassVar[int] = 50  # position in the report, low first

    def run(self, task: Task) -> TechniqueOutput:
        """Per-file work: read -> analyse -> output. Must depend on the task only (Dask workers).

        The options are validated by ``Options``, then :meth:`read`, :meth:`analyse` and
        :meth:`output` run in turn; a plug-in writes those steps (only what differs). A
        technique whose work is no read-then-analyse (``composition``) overrides ``run``.
        """
        opts = self.Options.model_validate(dict(task.options))
        data = self.read(task, opts)
        return self.output(self.analyse(data, task, opts), data, task, opts)

    def read(self, task: Task, opts: Any) -> Any:  # pragma: no cover - interface
        """Read the entry's input (``task.file`` and files its options name) into data objects."""
        raise NotImplementedError

    def analyse(self, data: Any, task: Task, opts: Any) -> Any:  # pragma: no cover - interface
        """Analyse what :meth:`read` returned with the entry's options; a :class:`Result`."""
        raise NotImplementedError

    def details(self, result: Any, data: Any, task: Task, opts: Any) -> Mapping[str, Any]:
        """Return the extra JSON-ready details the figures and report need beside the result."""
        return {}

    def output(self, result: Any, data: Any, task: Task, opts: Any) -> TechniqueOutput:
        """Return the task's output: :meth:`TechniqueOutput.from_result` with the result's warnings.

        Rows are ``result.rows(...)``; details are the result's dict and curves plus
        :meth:`details`. Override for rows or details of another kind.
        """
        return TechniqueOutput.from_result(
            result,
            task,
            details=self.details(result, data, task, opts),
            warnings=getattr(result, "warnings", ()),
        )

    @staticmethod
    def analysed(outputs: Iterable[TechniqueOutput]) -> list[TechniqueOutput]:
        """Return the outputs of tasks that ran, in order (failed ones kept by --keep-going left out).

        Figures, data files and report sections are drawn from these only.
        """
        return [o for o in outputs if not o.failed]

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Figures of this technique from all its outputs, by file stem (no extension)."""
        return {}

    def write_files(self, outputs: Sequence[TechniqueOutput], folder: Path) -> list[Path]:
        """Write optional data files of this technique (e.g. reduced curves) into ``folder``.

        Called when the study's outputs are written, with ``folder`` inside the output folder
        (so the files are listed in its safety marker); built from the outputs, never from the
        input files. Returns the paths written; default none.
        """
        return []

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """Return optional extra HTML for the report section (the table and figures are automatic)."""
        return ""

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write simulated input files for the demo into ``folder``.

        Returns manifest entries per sample id (``{"cdim2": [{"file": "dsc/a.txt", ...}]}``),
        with file names relative to ``folder``. Default: the technique adds nothing to the demo.
        """
        return {}


_REGISTRY: dict[str, Technique] = {}
_DISCOVERED = False


def register(cls: type[Technique]) -> type[Technique]:
    """Class decorator: register a technique under its ``key``."""
    key = getattr(cls, "key", None)
    if not key:
        raise TypeError(f"{cls.__name__} has no 'key'")
    existing = _REGISTRY.get(key)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(
            f"technique key {key!r} is registered twice ({type(existing).__name__}, {cls.__name__})"
        )
    _REGISTRY[key] = cls()
    return cls


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    import mofglass

    importlib.import_module("mofglass.study.composition_technique")
    for info in pkgutil.iter_modules(mofglass.__path__):
        if not info.ispkg:
            continue
        name = f"mofglass.{info.name}.technique"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    for ep in entry_points(group="mofglass.techniques"):
        obj = ep.load()
        if isinstance(obj, type) and issubclass(obj, Technique) and obj.key not in _REGISTRY:
            register(obj)


def registered_techniques() -> dict[str, Technique]:
    """All techniques by key, in report order."""
    _discover()
    return dict(sorted(_REGISTRY.items(), key=lambda kv: (type(kv[1]).order, kv[0])))


def get_technique(key: str) -> Technique:
    """Return the technique registered under ``key`` (KeyError if none)."""
    _discover()
    return _REGISTRY[key]


RunFunction = Callable[[Task], TechniqueOutput]
