"""When a removal happened (``kg.extract.when``): which date is the removal's. Sentences are our own."""

from __future__ import annotations

import pytest
from extract_tools import facts

pytestmark = pytest.mark.model

HEAD = "Facebook cib\nOctober 14, 2020\n"  # a Wednesday
REMOVAL_DATES: list[tuple[str, str | None]] = [
    # the date of the removal, or of its announcement
    ("Facebook removed 20 fake accounts linked to Iran on October 9.", "2020-10-09"),
    ("On Tuesday, Facebook removed 20 fake accounts linked to Iran.", "2020-10-13"),
    ("Facebook said on October 12 that it removed 20 fake accounts linked to Iran.", "2020-10-12"),
    ("In a report on Monday, Facebook said it removed 20 fake accounts linked to Iran.", "2020-10-12"),
    ("The removal of 20 fake accounts linked to Iran on Monday was announced by Facebook.", "2020-10-12"),
    ("Facebook said on Tuesday it had removed 20 fake accounts linked to Iran that posted about the "
     "protests on October 2.", "2020-10-13"),
    # an election day or another event's date in the same sentence is not the removal's
    ("Facebook removed 20 fake accounts linked to Iran ahead of the October 9 election.", None),
    ("Ahead of the election on October 11, Facebook removed 20 fake accounts linked to Iran.", None),
    ("Two days after the vote on Sunday, Facebook removed 20 fake accounts linked to Iran.", None),
    ("Facebook removed 20 fake accounts linked to Iran that were created on September 1.", None),
    ("Facebook removed 20 fake accounts linked to Iran before the referendum on October 4.", None),
    ("The election was held on October 4. Facebook removed 20 fake accounts linked to Iran.", None),
    # a date in an earlier sentence of the paragraph that dates the announcement
    ("Facebook announced on Monday the results of its inquiry. It removed 20 fake accounts linked to Iran.",
     "2020-10-12"),
    ("On Monday, the platforms acted too. Facebook removed 20 fake accounts linked to Iran.", "2020-10-12"),
    ("The protest took place on Monday. Facebook removed 20 fake accounts linked to Iran.", None),
    ("Voters went to the polls after the debate on Monday. Facebook removed 20 fake accounts linked to Iran.",
     None),
    # a page's date stamp run into the sentence is not the day it tells
    ("date 2020-10-14 Facebook said on Monday that it removed 20 fake accounts linked to Iran.",
     "2020-10-12"),
    # a sentence without a word of time: the one day the article gives "the takedown" elsewhere,
    # or on which the platform told of "these operations"
    ("Facebook took down 20 fake accounts linked to Iran. The company announced the takedown on Tuesday.",
     "2020-10-13"),
    ("Officials spoke after the mass takedown carried out by the platform on Tuesday.\n"
     "Facebook took down 20 fake accounts linked to Iran.", "2020-10-13"),
    ("Facebook removed 20 fake accounts linked to Iran.\n"
     "The company stated on Monday that these operations were run from Tehran.", "2020-10-12"),
    ("Facebook removed 20 fake accounts linked to Iran.\n"
     "Iran's foreign ministry said on Monday that the accounts were not its own.", None),
    ("Facebook removed 20 fake accounts linked to Iran.\n"
     "Twitter announced its own takedown on Monday.", None),
    ("Facebook removed 20 fake accounts linked to Iran last month.\n"
     "The company stated on Monday that these operations were run from Tehran.", None),
]


@pytest.mark.parametrize(("text", "expected"), REMOVAL_DATES, ids=[t[:48] for t, _ in REMOVAL_DATES])
def test_removal_dates(nlp, text: str, expected: str | None) -> None:
    (td,) = facts(nlp, HEAD + text).takedowns
    assert (td.date.isoformat() if td.date else None) == expected


# ---- a dated removal in the past perfect, told by the text itself, is an earlier one -----------
EARLIER_PERFECT: list[tuple[str, dict[int, set[str]]]] = [
    # no date line: the tense alone puts 2019 before the removal the article reports
    ("Facebook cib\n\nFacebook removed 80 fake accounts that targeted audiences in Sudan, the company "
     "said.\n\nIn 2019 it had removed a similar network from Russia.",
     {80: set()}),
    ("Facebook cib\n\nFacebook removed 40 fake accounts from Iran on Tuesday.\n\nIn 2019 it had removed 80 "
     "fake accounts linked to Russia.",
     {40: {"Iran"}, 80: {"Russia"}}),
    # negative beside them: the tense of reported speech
    ("Facebook cib\n\nFacebook said on Tuesday it had removed 80 fake accounts linked to Russia in 2019.",
     {80: {"Russia"}}),
]


@pytest.mark.parametrize(("text", "expected"), EARLIER_PERFECT, ids=[t[13:60] for t, _ in EARLIER_PERFECT])
def test_a_dated_past_perfect_removal_is_earlier(nlp, text: str, expected: dict[int, set[str]]) -> None:
    f = facts(nlp, text)
    found = {t.counts.accounts: set(t.attributed_to) for t in f.takedowns}
    assert found == expected
