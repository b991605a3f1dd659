"""A service's message is a `Wording`: English text wherever it goes (the API, the command line,
JSON, a pickle to a worker), and a template with values that a page translates, values that are
themselves worded (a status explained, an operation) translated too."""

from __future__ import annotations

import json
import pickle
from datetime import date

import pytest

from kiik.custody.domain.check import CANNOT, NOT_HELD, cannot
from kiik.custody.domain.state import STATUS_EXPLAINED, Status
from kiik.directory.domain.people import PersonError, check_password
from kiik.errors import N_, Wording, at, place_of
from kiik.permits.domain.lifecycle import REFUSED, PermitAction, PermitStatus, TransitionRefused, next_status
from kiik.species.domain.quotas import QuotaBalance, QuotaExceeded
from kiik.web.i18n import PageText


def test_a_wording_is_its_english_text_everywhere() -> None:
    message = N_("%(key)s is not registered: check the code", key="urn:x")
    assert message == "urn:x is not registered: check the code" and isinstance(message, str)
    assert json.dumps({"message": message}) == '{"message": "urn:x is not registered: check the code"}'
    assert f"{message}!" == "urn:x is not registered: check the code!"
    again = pickle.loads(pickle.dumps(message))
    assert (
        isinstance(again, Wording) and again.template == message.template and again.values == {"key": "urn:x"}
    )
    assert str(ValueError(message)) == message  # an exception made of it says the English


def test_a_page_translates_the_template_and_the_worded_values_in_it() -> None:
    refused = cannot("urn:x", "shipped", STATUS_EXPLAINED[Status.IN_TRANSIT])
    assert refused == "urn:x cannot be shipped: it is in transit; the destination must receive it first"
    assert (
        PageText("ru").explain(refused)
        == "urn:x нельзя отгрузить: он в пути; сначала его должен принять получатель"
    )
    assert PageText("kk").explain(refused).startswith("urn:x затын жөнелтуге болмайды: ол жолда")
    assert PageText("en").explain(refused) == refused
    # Values are escaped, the catalog's text is not.
    assert PageText("ru").explain(cannot("<b>", "sold", "x")) == "&lt;b&gt; нельзя продать: x"


def test_an_exception_is_explained_by_its_worded_argument() -> None:
    with pytest.raises(PersonError) as refused:
        check_password("short", "dana")
    assert str(refused.value).startswith("the password has 5 characters: use at least 12")
    assert str(PageText("ru").explain(refused.value)).startswith("в пароле 5 символов: нужно не меньше 12")
    assert PageText("kk").explain(ValueError("plain English")) == "plain English"  # not worded: as written


def test_a_refused_permit_step_is_worded_whole_with_its_label_and_status() -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(PermitStatus.REJECTED, PermitAction.ISSUE, N_("application %(id)s", id=7))
    assert str(refused.value) == (
        "application 7 cannot be issued: the application was rejected (status rejected); a permit in this "
        "status allows nothing: it is final"
    )
    assert str(PageText("ru").explain(refused.value)) == (
        "Нельзя выдать (заявка 7): заявка отклонена (статус rejected); в этом статусе с разрешением можно: "
        "ничего: статус окончательный"
    )
    assert set(REFUSED) == set(PermitAction)  # every step has its sentence


def test_every_verb_of_custody_has_its_sentences() -> None:
    assert set(NOT_HELD) <= set(CANNOT)
    for verb, template in CANNOT.items():
        assert template.template.startswith(f"%(key)s cannot be {verb}:")


def test_a_quota_refusal_keeps_the_figures_it_names() -> None:
    balance = QuotaBalance(quota_id=1, year=2026, cap=10.0, reserved=4.0, used=5.0)
    with pytest.raises(QuotaExceeded) as refused:
        balance.reserve(2.0)
    assert str(refused.value).startswith(
        "the 2026 quota has 1.000 KGM left (cap 10.000, reserved 4.000, used 5.000)"
    )
    assert "1.000" in str(PageText("kk").explain(refused.value)) and "квота" in str(
        PageText("kk").explain(refused.value)
    )


def test_dates_in_a_wording_are_written_as_in_english() -> None:
    message = N_(
        "the period starts on %(start)s after it ends on %(end)s",
        start=date(2026, 2, 1),
        end=date(2026, 1, 1),
    )
    assert message == "the period starts on 2026-02-01 after it ends on 2026-01-01"


def test_a_problem_placed_in_a_file_reads_as_one_line_and_a_page_takes_the_place_apart() -> None:
    problem = N_("%(value)s is not a number", value="'three'")
    placed = at(problem, row=4, column="quantity")
    assert placed == "row 4, quantity: 'three' is not a number"
    assert place_of(placed) == ({"row": 4, "column": "quantity"}, problem)
    table = at(problem, table="deployments", row=2, field="latitude")
    assert table == "deployments, row 2, field latitude: 'three' is not a number"
    assert place_of(table) == ({"table": "deployments", "row": 2, "field": "latitude"}, problem)
    assert place_of(problem) is None and place_of("row 4, quantity: x") is None
    assert PageText("ru").explain(placed) == "строка 4, quantity: &#39;three&#39; — не число"
    with pytest.raises(KeyError):
        at(problem, page=3)  # a place kiik does not name
