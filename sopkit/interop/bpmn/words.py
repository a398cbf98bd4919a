"""The few words a BPMN export adds, in the languages a process may be written in.

Everything else (yes, no, "rework 30%", "in 20% of runs", the events lane) is
worded as the swimlane diagrams word it.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["END_WORDS", "START_WORDS", "words_for"]

_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "start": "Start",
        "end": "Done",
        "approved": "Approved?",
        "sent_back": "Sent back?",
        "this_run": "Runs this time? ({share})",
    },
    "ko": {
        "start": "시작",
        "end": "완료",
        "approved": "승인되었나요?",
        "sent_back": "재작업이 필요한가요?",
        "this_run": "이번 실행에 포함되나요? ({share})",
    },
    "ru": {
        "start": "Начало",
        "end": "Готово",
        "approved": "Согласовано?",
        "sent_back": "Нужна доработка?",
        "this_run": "Выполняется в этот раз? ({share})",
    },
}


def words_for(language: str) -> Mapping[str, str]:
    """The words in ``language`` (English for a language not listed)."""
    return _WORDS.get(language, _WORDS["en"])


#: What an exported start event is named when its trigger is too long to name it.
START_WORDS = frozenset(words["start"] for words in _WORDS.values())
#: What an exported end event is named: it says nothing a process file lacks.
END_WORDS = frozenset(words["end"] for words in _WORDS.values())
