"""Reading PolNeAR's BRAT standoff files into relations."""

import pytest

from stance.data import Span
from stance.errors import DataFormatError
from stance.attribution.polnear import load_compartment, parse_ann

TEXT = "“We will win,” Trump said, “in November.” Aides denied it."
ANN = (
    "T1\tContent 1 12;28 39\tWe will win in November\n"
    "T2\tSource 15 20\tTrump\n"
    "T3\tCue 21 25\tsaid\n"
    "T4\tAttribution 21 25\tsaid\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    "T5\tSource 42 47\tAides\n"
    "T6\tCue 48 54\tdenied\n"
    "T7\tContent 55 57\tit\n"
    "T8\tAttribution 48 54\tdenied\n"
    "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7\n"
    "T9\tDiscuss 0 5\tWe wi\n"
    "#1\tAnnotatorNotes T1\ta note\n"
    "with a continuation line that starts like T10\n"
)


def test_parse_ann_reads_discontinuous_spans_and_skips_notes():
    first, second = parse_ann(ANN, "x.ann")
    assert first.content == (Span(1, 12), Span(28, 39))
    assert [TEXT[s.start : s.end] for s in first.source + first.cue] == ["Trump", "said"]
    assert [TEXT[s.start : s.end] for s in second.source + second.cue + second.content] == ["Aides", "denied", "it"]


def test_parse_ann_second_content_and_missing_source():
    ann = "T1\tCue 0 4\tsaid\nT2\tContent 5 9\tthis\nT3\tContent 10 14\tthat\nE1\tAttribution:T9 Cue:T1 Content:T2 Content2:T3\n"
    (relation,) = parse_ann(ann, "y.ann")
    assert relation.source == ()
    assert relation.content == (Span(5, 9), Span(10, 14))


def test_parse_ann_names_file_and_line_of_a_dangling_reference():
    with pytest.raises(DataFormatError, match=r"z\.ann:2: relation refers to unknown span T7"):
        parse_ann("T1\tCue 0 4\tsaid\nE1\tAttribution:T2 Cue:T1 Content:T7\n", "z.ann")


def test_load_compartment_reads_one_annotator_per_article(tmp_path):
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir()
    (tmp_path / "dev" / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "a_ffff.ann").write_text("", encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "a_1234.ann").write_text(ANN, encoding="utf-8")
    (doc,) = load_compartment(tmp_path, "dev")
    assert doc.name == "a" and len(doc.relations) == 2
    with pytest.raises(FileNotFoundError, match="no PolNeAR compartment"):
        load_compartment(tmp_path, "test")


@pytest.mark.slow  # reads all of PolNeAR dev
def test_polnear_dev_has_relations_for_every_article(polnear_dir):
    docs = load_compartment(polnear_dir, "dev")
    assert len(docs) == 84
    for doc in docs:
        for relation in doc.relations:
            for span in relation.source + relation.cue + relation.content:
                assert 0 <= span.start < span.end <= len(doc.text), doc.name
