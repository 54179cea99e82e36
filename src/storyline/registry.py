"""Stages registered by name (like spaCy factories), and the runner that chains them.

A stage is ``def stage(article: Article) -> Article``. Registering it declares what
it needs (``requires``) and what it fills in (``assigns``) so a pipeline given as a
list of names can be checked before any article is touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .errors import E303, E402, E403, E404, OptionError, StageError
from .model import Article

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

StageFunc = Callable[[Article], Article]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        return self.func(article)


_STAGES: dict[str, Stage] = {}


def stage(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` under ``name`` (convention: ``"quotes.v1"``)."""

    def register(func: StageFunc) -> StageFunc:
        _STAGES[name] = Stage(name, func, tuple(requires), tuple(assigns))
        return func

    return register


def get_stage(name: str) -> Stage:
    _load_builtin_stages()
    try:
        return _STAGES[name]
    except KeyError:
        raise OptionError(E303.format(name=name, known=", ".join(sorted(_STAGES)))) from None


def registered_stages() -> list[str]:
    _load_builtin_stages()
    return sorted(_STAGES)


def _load_builtin_stages() -> None:
    # Importing the modules runs their @stage decorators; done lazily so that
    # `import storyline` stays cheap and does not load spaCy.
    from . import ingest as _ingest  # noqa: F401
    from . import nlp as _nlp  # noqa: F401


class Pipeline:
    """An ordered list of stages, validated when built, run article by article."""

    def __init__(self, names: Iterable[str], *, provided: Iterable[str] = ("text",)) -> None:
        self.stages = [get_stage(name) for name in names]
        available = set(provided)
        for st in self.stages:
            missing = [r for r in st.requires if r not in available]
            if missing:
                raise OptionError(E404.format(name=st.name, missing=", ".join(missing)))
            available.update(st.assigns)

    @property
    def names(self) -> list[str]:
        return [st.name for st in self.stages]

    def __call__(self, article: Article) -> Article:
        for st in self.stages:
            try:
                result = st(article)
            except StageError:
                raise
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, RuntimeError) as exc:
                # Name the stage and the article, like spaCy's Language.__call__ does.
                raise StageError(E402.format(name=st.name, article=article.id, reason=exc)) from exc
            if not isinstance(result, Article):
                raise StageError(E403.format(name=st.name, type=type(result).__name__))
            article = result
        return article
