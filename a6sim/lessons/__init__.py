"""Teaching lessons: a scenario plus a ``lesson:`` block (docs/lessons.md).

The names below load their modules on first use, so that building the ``a6sim``
command's parser (which registers ``a6sim lesson``) loads neither the scenario schema
nor the simulator.
"""
import sys as _sys
import types as _types
from importlib import import_module as _import_module

__all__ = ["LESSON_DIR", "Answer", "Lesson", "LessonRun", "check_answer", "find_lesson", "lesson_files",
           "lesson_from_text", "load_lesson", "parse_answer", "teach"]

# public name -> the module that defines it
_LAZY = {"LESSON_DIR": "catalogue", "find_lesson": "catalogue", "lesson_files": "catalogue",
         "Lesson": "load", "lesson_from_text": "load", "load_lesson": "load",
         "Answer": "teach", "LessonRun": "teach", "check_answer": "teach", "parse_answer": "teach", "teach": "teach"}


def __getattr__(name):
    """``a6sim.lessons.teach``, ``a6sim.lessons.load_lesson``, ... load their module on first use."""
    if name in _LAZY:
        value = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'a6sim.lessons' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Lessons(_types.ModuleType):
    """The package: ``teach`` stays the function when its module (``teach.py``) loads,
    as it was when this package imported everything at once."""

    def __setattr__(self, name, value):
        if name == "teach" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Lessons
