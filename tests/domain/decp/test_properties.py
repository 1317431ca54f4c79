"""Arbitrary JSON gives a report or a French refusal, never a traceback."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.decp import DecpError, check_contracts, parse_decp, report_to_dict

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
KEYS = st.sampled_from(["id", "id ", "acheteur", "montant", "titulaires", "titulaire", "codeCPV", "dateNotification",
                        "considerationsSociales", "considerationSociale", "techniques", "nature", "_type",
                        "autoriteConcedante", "concessionnaires", "valeurGlobale", "dureeMois"]) | st.text(max_size=8)
JSON = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(KEYS, children, max_size=6), max_leaves=30)
SIRETS = st.sampled_from(["21590350100017", "11000000700010", 21590350100017, "123", ""])


def _report(document) -> dict | None:
    try:
        result = parse_decp(json.dumps(document, allow_nan=True).encode())
    except DecpError as error:
        assert error.message_fr
        return None
    report = report_to_dict(result, check_contracts(result.contracts))
    json.dumps(report)  # the report is always serialisable
    return report


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_parse_decp_arbitrary_json_document_never_raises(document):
    _report(document)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON | st.fixed_dictionaries({"id": SCALARS, "acheteur": st.fixed_dictionaries({"id": SIRETS})},
                                             optional={"montant": JSON, "titulaires": JSON,
                                                       "considerationsSociales": JSON, "codeCPV": JSON,
                                                       "dateNotification": JSON, "techniques": JSON}),
                max_size=6), st.booleans())
def test_parse_decp_arbitrary_records_give_a_report(records, flat):
    report = _report({"marches": records} if flat else {"marches": {"marche": records}})
    assert report is not None
    assert report["contracts"] <= len(records)


CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | SIRETS.map(str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=6), st.sampled_from([";", ",", "\t"]))
def test_parse_decp_arbitrary_csv_rows_give_a_report(rows, delimiter):
    header = delimiter.join(["id", "acheteur_id", "titulaire_id", "montant", "considerationsSociales", "nature"])
    text = "\n".join([header, *(delimiter.join(cell.replace("\n", " ") for cell in row) for row in rows)])
    try:
        result = parse_decp(text.encode())
    except DecpError as error:  # a first line the sniffer reads with another delimiter
        assert error.message_fr
        return
    json.dumps(report_to_dict(result, check_contracts(result.contracts)))
