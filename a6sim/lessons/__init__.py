"""Teaching lessons: a scenario plus a ``lesson:`` block (docs/lessons.md)."""
from .catalogue import LESSON_DIR, find_lesson, lesson_files
from .load import Lesson, lesson_from_text, load_lesson
from .teach import Answer, LessonRun, check_answer, parse_answer, teach

__all__ = ["LESSON_DIR", "Answer", "Lesson", "LessonRun", "check_answer", "find_lesson", "lesson_files",
           "lesson_from_text", "load_lesson", "parse_answer", "teach"]
