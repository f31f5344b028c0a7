"""The chain of dates that places an event in time, each kind named."""

from __future__ import annotations

from datetime import date

import pytest

from kg.rdf.dating import DATE_KINDS, event_dates

D1, D2 = date(2020, 5, 1), date(2020, 4, 2)


@pytest.mark.parametrize(
    ("own", "published", "text_dates", "chart", "kind"),
    [
        (D1, [D2], ["2019"], "2020-05-01", "reported date"),
        (None, [D1, D2], ["2019"], "2020-04-02", "first report"),
        (None, [], ["2019-08", "2019-08-21", "2020"], "2019-08", "text date"),
        (None, [], ["2019", "2019-01"], "2019-01", "text date"),  # same start: the finer one
        (None, [], ["2018-12-31", "2019"], "2018-12-31", "text date"),
        (None, [], [], None, "undated"),
    ],
)
def test_event_dates(own: date | None, published: list[date], text_dates: list[str],
                     chart: str | None, kind: str) -> None:
    found = event_dates(own, published, text_dates)
    assert (found.chart_date, found.source) == (chart, kind)
    assert found.first_reported == min(published, default=None)  # kept, whatever is charted
    assert kind in DATE_KINDS
