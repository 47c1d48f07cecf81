"""Propositions: what each claim says, and which earlier claim a denial answers."""

from stance.data import Article, Attribution, Span
from stance.pipeline.attribute import ClaimAttributor
from stance.pipeline.holders import HolderResolver
from stance.pipeline.link import ActorLinker
from stance.pipeline.propose import PropositionExtractor, normalise
from tests.fakes import FixedTagger, relation_of


def _propose(registry, text, *relations):
    article = ClaimAttributor(FixedTagger(relations))(Article(id="p", text=text))
    article = PropositionExtractor()(ActorLinker(registry)(article))
    return [(c.text, c.proposition.text, c.proposition.answers) for c in article.claims]


def test_the_proposition_is_the_content_without_quote_marks(registry):
    text = 'Xi Jinping said "the talks were a success". Prices rose.'
    assert _propose(registry, text, relation_of(text, "Xi Jinping", "said", '"the talks were a success"')) == [
        ('Xi Jinping said "the talks were a success".', "the talks were a success", None),
        ("Prices rose.", "Prices rose", None),
    ]


def test_an_anaphoric_denial_answers_the_claim_before_it(registry):
    # The seed article's form: the denial is a clause of its own, cut at the dash.
    text = (
        "The United States has accused China of mulling arms shipments to support Russia's war "
        "— claims Beijing has strongly denied. Talks resume on Monday."
    )
    rows = _propose(
        registry, text,
        relation_of(text, "The United States", "has accused", "China of mulling arms shipments to support Russia's war"),
        # What the tagger finds in the seed article: "claims" as a cue with "Beijing" as content.
        relation_of(text, None, "claims", "Beijing", after=text.index("— claims")),
    )
    assert rows[0] == (
        "The United States has accused China of mulling arms shipments to support Russia's war",
        "China of mulling arms shipments to support Russia's war", None,
    )
    assert rows[1] == ("claims Beijing has strongly denied.", "China of mulling arms shipments to support Russia's war", 0)
    assert rows[2][2] is None  # an ordinary claim answers nothing


def test_rejecting_the_allegations_answers_the_previous_sentence_not_an_older_one(registry):
    text = "Paris met Berlin. Kyiv said Moscow shelled the plant. Moscow rejected the allegations."
    rows = _propose(registry, text, relation_of(text, "Kyiv", "said", "Moscow shelled the plant"))
    assert rows[-1] == ("Moscow rejected the allegations.", "Moscow shelled the plant", 1)


def test_a_pointer_with_nothing_to_answer_keeps_its_own_words(registry):
    rows = _propose(registry, "Moscow rejected the allegations.")
    assert rows == [("Moscow rejected the allegations.", "Moscow rejected the allegations", None)]


def test_normalise_strips_quotes_and_final_punctuation():
    assert normalise("“We will win,”  he said.") == "We will win, he said"
    assert normalise("'Beijing's plan' is fine;") == "Beijing's plan is fine"


def test_the_holders_own_pronouns_become_its_name(registry):
    text = 'Xi Jinping said he would visit Moscow. Xi Jinping said "I trust my friend".'
    article = ClaimAttributor(FixedTagger([
        relation_of(text, "Xi Jinping", "said", "he would visit Moscow"),
        relation_of(text, "Xi Jinping", "said", '"I trust my friend"', after=30),
    ]))(Article(id="p", text=text))
    article = ActorLinker(registry)(article)
    article = HolderResolver(registry)(article)
    propositions = [c.proposition.text for c in PropositionExtractor(registry)(article).claims]
    assert propositions == ["Xi Jinping would visit Moscow", "Xi Jinping trust Xi Jinping's friend"]
    # Without a registry the words stay as written.
    assert [c.proposition.text for c in PropositionExtractor()(article).claims] == ["he would visit Moscow", "I trust my friend"]
