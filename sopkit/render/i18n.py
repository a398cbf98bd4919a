"""The words of generated documents, in the process's language.

Headings and labels come from translation catalogues shipped as package data
(``sopkit/i18n/<language>.json``), never from code. A message is either a
string with ``{placeholders}`` or a mapping of CLDR plural categories
(``one``, ``few``, ``many``, ``other``) to such strings; Babel's plural rules
pick the category, so Russian says "4 раза в месяц" and "5 раз в месяц".
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..currency import SYMBOLS
from .numbers import PAYBACK_DIGITS, hours_text, minutes, number_text, round_number, spoken

if TYPE_CHECKING:
    from ..analysis.cost import PortfolioCost
    from ..models import Clock, Frequency, Process, Step

__all__ = [
    "LANGUAGES",
    "Catalogue",
    "Notice",
    "catalogue",
    "due_text",
    "frequency_short",
    "hours_column",
    "hours_label",
    "payback_text",
    "portfolio_language",
    "span_label",
]

#: Languages with a catalogue; each has every message (a test checks).
LANGUAGES = ("en", "ko", "ru")

Message = str | Mapping[str, str]


@dataclass(frozen=True)
class Catalogue:
    """The messages of one language, with its number, date and plural rules."""

    language: str
    messages: Mapping[str, Message]

    def __call__(self, key: str, n: Decimal | int | None = None, **params: Any) -> str:
        """The message ``key`` with ``params`` filled in.

        Args:
            key: a message id such as ``"section.purpose"``.
            n: the count that chooses a plural form; also available as ``{n}``,
                formatted for the language.
            params: values for the other placeholders, used as given; but an amount
                (``numbers.Amount``) is written as a sentence says it (연간 1,250,000원
                절감, not ₩1,250,000), and a Russian sentence names a ``currency`` by its
                sign (все суммы за год в ₽, not в RUB).
        """
        message = self.messages[key]
        params = self.shown(params)
        if not isinstance(message, str):
            message = message.get(self.plural(n), message["other"])
        if n is not None:
            params = {"n": hours_text(Decimal(n), self.language), **params}
        text = message.format_map(params) if params else message
        return korean_particles(text) if self.language == "ko" else text

    def shown(self, params: dict[str, Any]) -> dict[str, Any]:
        """The values as the language's sentences show them: an amount as a sentence
        says it (a Korean one 1,250,000원, where its tables keep ₩1,250,000); a Russian
        sentence names a ``currency`` by its sign (все суммы за год в ₽), the others by
        its code."""
        params = {name: spoken(value, self.language) for name, value in params.items()}
        if self.language == "ru" and isinstance(params.get("currency"), str):
            return {**params, "currency": SYMBOLS.get(params["currency"], params["currency"])}
        return params

    def span(self, key: str, low: Decimal, high: Decimal) -> str:
        """A unit message for ``low–high``, in the form the last number takes:
        ``2–3 раза``, ``0,5–2 рабочих дня``; one number when they are the same."""
        if low == high:
            return self(key, high)
        shown = f"{hours_text(low, self.language)}–{hours_text(high, self.language)}"
        message = self.messages[key]
        if not isinstance(message, str):
            message = message.get(self.plural(high), message["other"])
        return message.format_map({"n": shown})

    def plural(self, n: Decimal | int | None) -> str:
        """The CLDR plural category of ``n`` as it is shown (two decimals at most)."""
        from babel import Locale

        if n is None:
            return "other"
        shown = round_number(Decimal(n), 2).normalize()
        number: Decimal | int = int(shown) if shown == shown.to_integral_value() else shown
        return str(Locale.parse(self.language).plural_form(number))

    def day(self, value: _dt.date) -> str:
        """A date in a table or a note: ISO 8601 (``2026-11-23``), sortable and read alike
        in English and Korean; in Russian the day first, as its readers write it
        (``23.11.2026``). Files for tools (CSV, JSON, iCalendar) keep ISO 8601."""
        if self.language == "ru":
            return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
        return value.isoformat()

    def date(self, value: _dt.date) -> str:
        """A date written out for the language: ``October 1, 2026``, ``2026년 10월 1일``."""
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.language)


def due_text(process: Process, step: Step, t: Catalogue) -> str | None:
    """``10 working days before “Launch day”``: when the step must be done, as ``sopkit
    plan`` dates it (weeks count ``days_per_week`` working days). The SOP, the checklist
    and the plan's calendar all say it so, never as the file's ``launch -10d``."""
    if step.due is None:
        return None
    milestone = process.step(step.due.milestone).name
    days = step.due.offset.working_days(process.settings.days_per_week)
    if days == 0:
        return t("due.on", name=milestone)
    return t("due.before" if days < 0 else "due.after", abs(days), name=milestone)


def payback_text(months: Decimal | None, t: Catalogue, *, unit: bool = True) -> str:
    """Payback as every page and report shows it: ``immediately``, ``never`` or ``4.5 months``.

    One wording and one number format wherever people read it (SOP, dashboard,
    terminal and Markdown tables, ``--explain``): nothing to pay back (no setup
    cost) reads "immediately", an investment that never pays back "never",
    months have one decimal (``3.0``), and less than that reads "under 0.1
    months". ``unit=False`` leaves out the word
    "months" for tables whose heading already says it. JSON and CSV keep their
    plain numbers (``0.0``, ``null``).
    """
    if months is None:
        return t("payback.never")
    if months == 0:
        return t("payback.immediate")
    shown = round_number(months, PAYBACK_DIGITS)
    if shown == 0:  # a few days: "0.0 months" would read as nothing to pay back
        shown = Decimal(1).scaleb(-PAYBACK_DIGITS)
        number = number_text(shown, PAYBACK_DIGITS, t.language)
        return t("payback.under", months=number) if unit else f"< {number}"
    number = number_text(shown, PAYBACK_DIGITS, t.language)
    if not unit:
        return number
    from babel import Locale

    message = t.messages["payback.months"]
    if not isinstance(message, str):  # the plural of the number as shown: "1.0 months"
        form = str(Locale.parse(t.language).plural_form(shown))
        message = message.get(form, message["other"])
    return message.format(n=number)


def frequency_short(frequency: Frequency | None, t: Catalogue) -> str:
    """How often a process runs, in short (a card, a table cell): ``2/month``, ``월 2회``,
    ``2 раза в месяц``; ``when called`` for a process only others run."""
    if frequency is None:
        return t("frequency.short.called")
    return t(f"frequency.short.{frequency.period.value}", frequency.count)


def portfolio_language(cost: PortfolioCost) -> str:
    """The language of pages about a whole portfolio (the dashboard, the scenario page,
    the report): the processes' language when every process shares one; English otherwise."""
    languages = {p.process.language.value for p in cost.processes}
    return languages.pop() if len(languages) == 1 else "en"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a build tells its reader, as a message id and its values.

    The terminal prints it in English (``str``); the dashboard shows it in the
    portfolio's language (``text``). The values are shown as given: an error's
    own message or an install command stays as the tool wrote it.
    """

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **params: str) -> Notice:
        return cls(key, tuple(params.items()))

    def text(self, t: Catalogue) -> str:
        return t(self.key, None, **dict(self.params))

    def __str__(self) -> str:
        return self.text(catalogue("en"))


#: Korean "to/with": 로 after a vowel or ㄹ, 으로 after any other final consonant.
_EURO = re.compile(r"\(으\)로")
#: The particles written both ways, ``은(는)``: the first after a final consonant, the
#: second after a vowel.
_PAIRED = {"은(는)": ("은", "는"), "이(가)": ("이", "가"), "을(를)": ("을", "를")}
_PARTICLE = re.compile("|".join([_EURO.pattern, *(re.escape(p) for p in _PAIRED)]))
#: The digits whose sound ends in a final consonant (영, 일, 삼, 육, 칠, 팔); a number
#: ending in 0 does too (십, 백, 천, 만).
_DIGIT_CLOSED = frozenset("013678")
#: How each digit is read (일, 이, 삼, …): whether its sound ends in a vowel or ㄹ.
_DIGIT_TAKES_RO = {
    "0": False,
    "1": True,
    "2": True,
    "3": False,
    "4": True,
    "5": True,
    "6": False,
    "7": True,
    "8": True,
    "9": True,
}


def korean_particles(text: str) -> str:
    """``“출시 비주얼”(으)로`` → ``“출시 비주얼”로``: the particle a name's last sound takes.

    Messages write ``(으)로``, ``은(는)``, ``이(가)`` or ``을(를)`` where a name or a value
    goes before it; its last syllable (closing quotes and brackets aside) decides:
    ``2027-09-14(화요일)은``, ``(화)는``. A name ending in a letter the rule does not know
    (Latin, say) keeps both forms, which every reader understands.
    """

    def chosen(match: re.Match[str]) -> str:
        before = text[: match.start()].rstrip("”\"’')]」』 ")
        if not before:
            return match.group(0)
        last = before[-1]
        if "가" <= last <= "힣":
            final = (ord(last) - 0xAC00) % 28
            closed, ro = final != 0, final in (0, 8)  # 로 after no final or ㄹ
        elif last in _DIGIT_TAKES_RO:
            closed, ro = last in _DIGIT_CLOSED, _DIGIT_TAKES_RO[last]
        else:
            return match.group(0)
        if match.group(0) in _PAIRED:
            return _PAIRED[match.group(0)][0 if closed else 1]
        return "로" if ro else "으로"

    return _PARTICLE.sub(chosen, text)


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str = "en") -> Catalogue:
    """The catalogue of ``language`` (``en``, ``ko`` or ``ru``).

    Raises:
        KeyError: for a language without a catalogue; the process model only
            admits the languages in ``LANGUAGES``.
    """
    if language not in LANGUAGES:
        raise KeyError(f"no catalogue for language {language!r}; known: {', '.join(LANGUAGES)}")
    text = resources.files("sopkit").joinpath("i18n", f"{language}.json").read_text("utf-8")
    messages: dict[str, Message] = json.loads(text)
    return Catalogue(language, messages)


def hours_label(t: Catalogue, hours: Decimal) -> str:
    """``2.5 h``, and under an hour in minutes (``5 min``, not ``0.08 h``): whole ones
    from 10 up (``19 min``), tenths below (``2.5 min``)."""
    if 0 < hours < 1:
        return t("unit.minutes", minutes(hours))
    return t("unit.hours", hours)


def hours_column(t: Catalogue, values: Sequence[Decimal]) -> list[str]:
    """Durations a reader compares down one column, all in one unit: hours when any is an
    hour or more (``1.41 h``, ``0.8 h``, ``0.32 h``), minutes when every one is under an
    hour (``48 min``, ``19 min``). ``hours_label`` alone would mix ``1.41 h`` with
    ``48 min``, and a reader then compares the numbers, not the times."""
    in_minutes = any(value > 0 for value in values) and all(value < 1 for value in values)
    if in_minutes:
        return [t("unit.minutes", minutes(value)) for value in values]
    return [t("unit.hours", value) for value in values]


def span_label(t: Catalogue, hours: Decimal, clock: Clock) -> str:
    """Working hours, or working days from a day up."""
    if hours >= clock.hours_per_day:
        return t("unit.workdays", hours / clock.hours_per_day)
    return hours_label(t, hours)
